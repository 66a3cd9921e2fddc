import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { IndicatorParam } from '../http/query.pipe.js';
import { CsvExport } from '../http/csv.js';
import { ChartExport } from '../http/chart.js';
import { CHART_FORMATS, mediaTypesOf } from '../http/representations.js';
import { rankingChart } from './rankings.chart.js';
import { refusePaging, representationOf } from '../http/download.js';
import { rankingRows } from './rankings.csv.js';
import { RANKING_EXAMPLES } from '../compare/compare.examples.js';
import { RankingDto, RankingQueryDto } from './ranking.dto.js';
import { RankingsService } from './rankings.service.js';
import { IndicatorPath } from '../http/path-parameters.js';

/** A page as large as every GB/T 2260 region (about 3,700) and more: a ranking's CSV has them all. */
const EVERY_REGION = 100_000;

@ApiTags('rankings')
@Controller('v1/rankings')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  /** Regions ordered by their newest regional total of one indicator, a page at a time (as CSV, all of them), with the national figure alongside. */
  @Get(':indicator')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ApiOkResponse({ type: RankingDto, examples: RANKING_EXAMPLES })
  @ApiProduces(...mediaTypesOf(CHART_FORMATS))
  @CsvExport(rankingRows, 'ranking.csv')
  @ChartExport(rankingChart)
  @IndicatorPath('indicator')
  rank(@Param('indicator', IndicatorParam) indicator: string, @Query() query: RankingQueryDto, @Req() request: FastifyRequest): Promise<RankingDto> {
    // As CSV, every region ranked: a download is never one page of it.
    if (representationOf(request) === 'csv') {
      refusePaging(request);
      return this.rankings.rank(indicator, { ...query, page: 1, pageSize: EVERY_REGION }, request.url);
    }
    return this.rankings.rank(indicator, query, request.url);
  }
}
