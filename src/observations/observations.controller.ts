import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { CsvExport } from '../http/csv.js';
import { refusePaging, representationOf, type Download } from '../http/download.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { observationRows } from './observations.csv.js';
import { ListObservationsQueryDto, ObservationPageDto, ObservationQueryDto, type ObservationDto, type RevisionListDto } from './observation.dto.js';
import { ObservationsService } from './observations.service.js';
import { ChartQueryDto } from '../http/read-query.dto.js';
import { ChartExport } from '../http/chart.js';
import { CHART_FORMATS, LISTING_FORMATS, mediaTypesOf } from '../http/representations.js';
import { revisionsChart } from './revisions.chart.js';
import { revisionRows } from './revisions.csv.js';
import { ObservationPath } from '../http/path-parameters.js';

@ApiTags('observations')
@Controller('v1/observations')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  /** Figures with their unit, as-of date, qualifier and verbatim citation, filtered and paginated. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  @ApiProduces(...mediaTypesOf(LISTING_FORMATS))
  @ApiOkResponse({ type: ObservationPageDto, description: 'A page of figures; as CSV or NDJSON, every matching figure.' })
  @CsvExport(observationRows, 'observations.csv', { download: true })
  list(@Query() query: ListObservationsQueryDto, @Req() request: FastifyRequest): Promise<ObservationPageDto | Download<ObservationDto>> {
    if (representationOf(request) !== 'json') {
      refusePaging(request);
      return this.observations.download(query);
    }
    return this.observations.list(query, request.url);
  }

  /** One figure with its citation; with vintage, as it stood then. */
  @Get(':id')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404, 410)
  @ObservationPath()
  get(@Param('id', ParseIdPipe) id: number, @Query() query: ObservationQueryDto): Promise<ObservationDto> {
    return this.observations.get(id, query.vintage);
  }

  /** Every value the figure has had, with when and by which batch; corrections never destroy the old value. As a chart, the value over time. */
  @Get(':id/revisions')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ObservationPath()
  @ApiProduces(...mediaTypesOf(CHART_FORMATS))
  @CsvExport(revisionRows, 'revisions.csv')
  @ChartExport(revisionsChart)
  revisions(@Param('id', ParseIdPipe) id: number, @Query() _query: ChartQueryDto): Promise<RevisionListDto> {
    return this.observations.revisions(id);
  }
}
