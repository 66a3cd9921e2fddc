import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException, PROBLEM_TYPES, PROBLEM_DETAILS, lacksScope } from '../errors/problem.js';
import { sendProblem, toProblem } from '../errors/problem.filter.js';
import { policyOf } from './route-policy.js';
import type { ApiKeyInfo, ApiKeysService, Scope } from '../auth/api-keys.service.js';

export type AuthenticatedRequest = FastifyRequest & { apiKey?: ApiKeyInfo };

/** Whether the request came with a valid key of this scope. */
export const hasScope = (request: FastifyRequest, scope: Scope) => (request as AuthenticatedRequest).apiKey?.scopes.includes(scope) ?? false;

/** `Authorization: Bearer <key>`, the scheme in any case (RFC 9110 §11.1). */
const BEARER = /^bearer +(\S+)$/i;

/**
 * A route whose policy names a scope checks the API key as soon as the headers arrive, before the
 * body is read: a request without a valid key costs neither memory for its body nor parsing it
 * (Node discards what it still sends). A route that shows more to a scope checks a key when one is
 * sent, and answers without one.
 */
export function registerApiKeyCheck(fastify: FastifyInstance, keys: ApiKeysService): void {
  const logger = new Logger('ApiKeys');
  fastify.addHook('onRequest', async (request, reply) => {
    const { scope, showsMoreTo } = policyOf(request);
    const header = request.headers.authorization;
    if (!scope && !(showsMoreTo && header)) return;
    try {
      const presented = header ? BEARER.exec(header)?.[1] : undefined;
      const key = presented ? await keys.verify(presented) : undefined;
      if (!key) {
        reply.header('WWW-Authenticate', 'Bearer realm="regional-finance-api"');
        throw new ProblemException({
          type: PROBLEM_TYPES.unauthorized,
          title: 'Unauthorized',
          status: 401,
          detail: header ? 'The API key is not valid or has been revoked (send Authorization: Bearer <key>).' : PROBLEM_DETAILS.keyMissing,
        });
      }
      if (scope && !key.scopes.includes(scope)) {
        throw new ProblemException({ type: PROBLEM_TYPES.forbidden, title: 'Forbidden', status: 403, detail: lacksScope(key.name, scope) });
      }
      (request as AuthenticatedRequest).apiKey = key;
    } catch (error) {
      sendProblem(reply, toProblem(error, request.url, logger));
      return reply;
    }
  });
}
