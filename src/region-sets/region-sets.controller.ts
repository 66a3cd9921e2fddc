import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import type { RegionSetDto, RegionSetListDto } from './region-set.dto.js';
import { RegionSetsService } from './region-sets.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { RegionSetPath } from '../http/path-parameters.js';

@ApiTags('region-sets')
@Controller('v1/region-sets')
export class RegionSetsController {
  constructor(private readonly regionSets: RegionSetsService) {}

  /** Peer groups to compare in one call: the pilot zones, the Yangtze River Delta, all provinces with figures. */
  @Get()
  @Policy({ cache: 'public' })
  list(@Query() _query: DisplayQueryDto): Promise<RegionSetListDto> {
    return this.regionSets.list();
  }

  /** One peer group with its member regions. */
  @Get(':id')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @RegionSetPath()
  get(@Param('id') id: string, @Query() _query: DisplayQueryDto): Promise<RegionSetDto> {
    return this.regionSets.get(id);
  }
}
