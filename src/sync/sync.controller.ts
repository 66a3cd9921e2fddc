import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasScope, type AuthenticatedRequest } from '../http/api-key.hook.js';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { PROBLEM_CONTENT_TYPE, ProblemException } from '../errors/problem.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { Policy } from '../http/route-policy.js';
import { toResponse } from './batch-outcome.js';
import { BatchReportDto, ListBatchesQueryDto, SubmitBatchQueryDto, type BatchDetailDto, type BatchPageDto } from './sync.dto.js';
import { BatchesService } from './batches.service.js';
import { SyncService } from './sync.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { BatchPath } from '../http/path-parameters.js';

/** Enough for 50,000 observations with long quotes. */
export const SYNC_BODY_LIMIT = 64 * 1024 * 1024;

@ApiTags('sync')
@Controller('v1/sync/batches')
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly batches: BatchesService,
  ) {}

  /**
   * Upserts a batch keyed by natural keys, in one transaction, or rejects it whole with 422
   * listing every problem by its JSON Pointer. Sending the same batch again changes nothing.
   */
  @Post()
  @HttpCode(201)
  @Policy({ bodyLimit: SYNC_BODY_LIMIT, scope: 'sync:write' })
  @ApiBody({ schema: { $ref: '#/components/schemas/Batch' } })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Up to 200 printable ASCII characters. A retry with the same key returns the first response; the same key with another body is 422.',
  })
  @ApiCreatedResponse({ description: 'Applied: batchId, status and created/updated/unchanged counts per section.', type: BatchReportDto })
  @ApiOkResponse({ description: 'dryRun=true: the same report, with each change before and after, and nothing written.', type: BatchReportDto })
  @ApiProblemResponses(400, 401, 403, 409, 413, 415, 422)
  async submit(
    @Body() body: unknown,
    @Query() query: SubmitBatchQueryDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw ProblemException.validation([{ location: 'header', name: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 printable ASCII characters without spaces' }]);
    }
    const outcome = await this.sync.submit(body, { origin: 'api', apiKeyName: request.apiKey?.name, dryRun: query.dryRun === 'true', idempotencyKey });
    const { status, body: answer } = toResponse(outcome);
    reply.status(status);
    if (outcome.kind === 'replayed') reply.header('Idempotent-Replayed', 'true');
    // Another request with this key is being written: ask to come back once it may have finished.
    if (outcome.kind === 'in-use') reply.header('Retry-After', '5');
    if (status < 400) return answer;
    reply.header('Content-Type', PROBLEM_CONTENT_TYPE);
    return { ...answer, requestId: request.id };
  }

  /** Batches newest first, with status and counts; who sent each, from where and why it failed only to a key with the sync:read scope. */
  @Get()
  @Policy({ showsMoreTo: 'sync:read' })
  @ApiProblemResponses(400, 401)
  list(@Query() query: ListBatchesQueryDto, @Req() request: FastifyRequest): Promise<BatchPageDto> {
    return this.batches.list(query, request.url, hasScope(request, 'sync:read'));
  }

  /** One batch; the response its sender received (a dry run's proposed values, errors) only to a key with the sync:read scope. */
  @Get(':id')
  @Policy({ showsMoreTo: 'sync:read' })
  @ApiProblemResponses(400, 401, 404)
  @BatchPath()
  get(@Param('id', ParseIdPipe) id: number, @Query() _query: DisplayQueryDto, @Req() request: FastifyRequest): Promise<BatchDetailDto> {
    return this.batches.get(id, hasScope(request, 'sync:read'));
  }
}
