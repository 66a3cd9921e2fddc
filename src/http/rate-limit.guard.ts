import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { internalRequestKind } from './internal-request.js';
import { rateLimited } from '../telemetry/metrics.js';

/**
 * The throttler's guard, answering past the limit as every other refusal is answered: problem+json
 * saying what happened, with the allowance in X-RateLimit-* as on every counted answer.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** The response cache refilling its answers after a write is no client's request; an MCP tool's read was counted as its call. */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>().raw;
    return internalRequestKind(request) !== undefined || super.shouldSkip(context);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    rateLimited.inc();
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    reply.header('X-RateLimit-Limit', String(detail.limit)).header('X-RateLimit-Remaining', '0').header('X-RateLimit-Reset', String(seconds));
    throw new ProblemException({
      type: PROBLEM_TYPES.tooManyRequests,
      title: 'Too Many Requests',
      status: 429,
      detail: `This client address has made its ${detail.limit} requests for this minute; retry after ${seconds} s (Retry-After).`,
    });
  }
}
