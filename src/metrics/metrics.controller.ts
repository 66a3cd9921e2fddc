import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ProblemException, PROBLEM_TYPES } from '../errors/problem.js';
import { Policy } from '../http/route-policy.js';
import { registry } from '../telemetry/metrics.js';
import { METRICS_SETTINGS, type MetricsSettings } from './metrics.settings.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an address is this machine's own. */
function isLoopback(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}

/** For Prometheus, not for the public: left out of the OpenAPI document, never cached, never rate-limited. */
@ApiExcludeController()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(@Inject(METRICS_SETTINGS) settings: MetricsSettings) {
    this.token = settings.token ? digest(settings.token) : undefined;
  }

  /** The Prometheus text format. With METRICS_TOKEN, for its bearer; without, for clients on loopback only. */
  @Get()
  @Policy({ cache: 'none', representation: false })
  async metrics(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.token) {
      const presented = /^bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      // Compared as digests, in constant time: the token's length does not show either.
      if (!presented || !timingSafeEqual(digest(presented), this.token)) {
        reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new ProblemException({
          type: PROBLEM_TYPES.unauthorized,
          title: 'Unauthorized',
          status: 401,
          detail: 'The metrics are read with Authorization: Bearer <METRICS_TOKEN>.',
        });
      }
    } else if (!isLoopback(request.ip)) {
      throw new ProblemException({
        type: PROBLEM_TYPES.forbidden,
        title: 'Forbidden',
        status: 403,
        detail: 'The metrics answer clients on this machine only; set METRICS_TOKEN, or METRICS_PORT on an internal interface, to scrape them from elsewhere.',
      });
    }
    reply.header('Content-Type', registry.contentType);
    return registry.metrics();
  }
}
