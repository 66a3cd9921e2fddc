import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { ProblemException } from '../errors/problem.js';
import { representationOf } from '../http/download.js';
import { Policy } from '../http/route-policy.js';
import { CsvExport } from '../http/csv.js';
import { ChartExport } from '../http/chart.js';
import { CHART_FORMATS, mediaTypesOf } from '../http/representations.js';
import { compareChart } from './compare.chart.js';
import { compareRows } from './compare.csv.js';
import { CompareQueryDto, CompareResponseDto } from './compare.dto.js';
import { COMPARE_EXAMPLES } from './compare.examples.js';
import { CompareService } from './compare.service.js';

@ApiTags('compare')
@Controller('v1/compare')
export class CompareController {
  constructor(private readonly comparisons: CompareService) {}

  /**
   * Regions side by side: for each indicator and region the figure chosen by the alignment mode,
   * the leader, difference and ratio (two regions) or ranks and shares (more), and a warning
   * wherever two figures cannot simply be compared.
   */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ApiOkResponse({ type: CompareResponseDto, examples: COMPARE_EXAMPLES })
  @ApiProduces(...mediaTypesOf(CHART_FORMATS))
  @CsvExport(compareRows, 'compare.csv')
  @ChartExport(compareChart)
  compare(@Query() query: CompareQueryDto, @Req() request: FastifyRequest): Promise<CompareResponseDto> {
    if (query.shape && representationOf(request) !== 'csv')
      throw ProblemException.validation([{ location: 'query', name: 'shape', message: 'shape lays out the CSV: give format=csv (or Accept: text/csv) with it' }]);
    return this.comparisons.compare(query);
  }
}
