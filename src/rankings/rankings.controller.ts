import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { IndicatorParam } from '../http/query.pipe.js';
import { CsvExport } from '../http/csv.js';
import { rankingRows } from './rankings.csv.js';
import { RANKING_EXAMPLES } from '../compare/compare.examples.js';
import { RankingDto, RankingQueryDto } from './ranking.dto.js';
import { RankingsService } from './rankings.service.js';
import { IndicatorPath } from '../http/path-parameters.js';

@ApiTags('rankings')
@Controller('v1/rankings')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  /** Regions ordered by their newest regional total of one indicator, a page at a time, with the national figure alongside. */
  @Get(':indicator')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ApiOkResponse({ type: RankingDto, examples: RANKING_EXAMPLES })
  @ApiProduces('application/json', 'text/csv')
  @CsvExport(rankingRows, 'ranking.csv')
  @IndicatorPath('indicator')
  rank(@Param('indicator', IndicatorParam) indicator: string, @Query() query: RankingQueryDto, @Req() request: FastifyRequest): Promise<RankingDto> {
    return this.rankings.rank(indicator, query, request.url);
  }
}
