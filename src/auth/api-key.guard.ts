import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { ApiKeysService, type ApiKeyInfo, type Scope } from './api-keys.service.js';

const SCOPE = 'required-scope';

/** The endpoint needs an API key (Authorization: Bearer) with this scope. */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE, scope);

export type AuthenticatedRequest = FastifyRequest & { apiKey?: ApiKeyInfo };

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.get<Scope | undefined>(SCOPE, context.getHandler());
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [kind, presented] = (request.headers.authorization ?? '').split(' ');
    const key = kind === 'Bearer' && presented ? await this.keys.verify(presented) : undefined;
    if (!key) {
      context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="regional-finance-api"');
      throw new ProblemException({
        type: PROBLEM_TYPES.unauthorized,
        title: 'Unauthorized',
        status: 401,
        detail: request.headers.authorization
          ? 'The API key is not valid or has been revoked.'
          : 'Writes need an API key: send Authorization: Bearer <key>. Keys are created with npm run apikey -- create.',
      });
    }
    if (!key.scopes.includes(scope)) {
      throw new ProblemException({ type: PROBLEM_TYPES.forbidden, title: 'Forbidden', status: 403, detail: `The API key "${key.name}" lacks the ${scope} scope.` });
    }
    request.apiKey = key;
    return true;
  }
}
