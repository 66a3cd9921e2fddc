import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Scope } from '../auth/api-keys.service.js';

/**
 * What HTTP does around a route, declared on the route itself (Fastify route config) and read by
 * the hooks that act on it. A route that declares nothing gets the defaults: not kept in the
 * response cache, a 1 MB body limit, names and display forms in the request's language.
 */
export interface RoutePolicy {
  /**
   * public: the answer depends only on the data and the request, so it is kept in the response
   * cache under the data version, tagged with an ETag and marked cacheable for a minute; none: never
   * stored anywhere (Cache-Control: no-store, no ETag). Unset: tagged, not kept.
   */
  cache?: 'public' | 'none';
  /** Largest request body the route takes, in bytes. */
  bodyLimit?: number;
  /** false: the answer is not a read of figures (health checks): no language or display forms added. */
  representation?: false;
  /** The API key scope the route needs, checked when the headers arrive (before the body is read); the document says so. */
  scope?: Scope;
  /** The route answers everyone, and more to a key with this scope (a key sent is checked all the same). */
  showsMoreTo?: Scope;
}

/** The policy on the route, and in the document: a bearer key where one is needed; where it only shows more, the key as optional (an empty requirement). */
export const Policy = (policy: RoutePolicy) =>
  applyDecorators(RouteConfig({ policy }), ...(policy.scope ? [ApiBearerAuth()] : policy.showsMoreTo ? [ApiSecurity({}), ApiBearerAuth()] : []));

/** The policy in a route's config (empty for routes that declare none). */
export function policyOfRoute(config: unknown): RoutePolicy {
  return (config as { policy?: RoutePolicy } | undefined)?.policy ?? {};
}

/** The policy of the route a request was routed to (empty before routing). */
export function policyOf(request: FastifyRequest): RoutePolicy {
  return policyOfRoute(request.routeOptions?.config);
}
