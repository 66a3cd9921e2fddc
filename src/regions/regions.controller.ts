import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import type { RegionProfileDto } from './region-profile.dto.js';
import { ListRegionsQueryDto, type RegionDetailDto, type RegionPageDto } from './region.dto.js';
import { RegionsService } from './regions.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { RegionParam } from '../http/query.pipe.js';
import { RegionPath } from '../http/path-parameters.js';

@ApiTags('regions')
@Controller('v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  /** List regions: provinces, cities and districts that have figures, their parents, and the nation. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  list(@Query() query: ListRegionsQueryDto, @Req() request: FastifyRequest): Promise<RegionPageDto> {
    return this.regions.list(query, request.url);
  }

  /** The region at a glance: newest figure per indicator by topic with national baselines, its programs and pilot-zone record. */
  @Get(':code/profile')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @RegionPath()
  profile(@Param('code', RegionParam) code: string, @Query() _query: DisplayQueryDto): Promise<RegionProfileDto> {
    return this.regions.profile(code);
  }

  /** One region (by code or name) with its parent, children and pilot-zone status. */
  @Get(':code')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @RegionPath()
  get(@Param('code', RegionParam) code: string, @Query() _query: DisplayQueryDto): Promise<RegionDetailDto> {
    return this.regions.get(code);
  }
}
