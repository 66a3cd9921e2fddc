import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { ListSourcesQueryDto, type SourceDto, type SourcePageDto } from './source.dto.js';
import { SourcesService } from './sources.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { SourceParam } from '../http/query.pipe.js';
import { SourcePath } from '../http/path-parameters.js';

@ApiTags('sources')
@Controller('v1/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  /** The source documents every figure cites. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  list(@Query() query: ListSourcesQueryDto, @Req() request: FastifyRequest): Promise<SourcePageDto> {
    return this.sources.list(query, request.url);
  }

  /** One source document, by id or file name. */
  @Get(':id')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @SourcePath()
  get(@Param('id', SourceParam) id: string, @Query() _query: DisplayQueryDto): Promise<SourceDto> {
    return this.sources.get(id);
  }
}
