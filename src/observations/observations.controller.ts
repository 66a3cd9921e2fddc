import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { CsvExport } from '../http/csv.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { observationRows } from './observations.csv.js';
import { ListObservationsQueryDto, ObservationQueryDto, type ObservationDto, type ObservationPageDto, type RevisionListDto } from './observation.dto.js';
import { ObservationsService } from './observations.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { ObservationPath } from '../http/path-parameters.js';

@ApiTags('observations')
@Controller('v1/observations')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  /** Figures with their unit, as-of date, qualifier and verbatim citation, filtered and paginated. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  @ApiProduces('application/json', 'text/csv')
  @CsvExport(observationRows, 'observations.csv')
  list(@Query() query: ListObservationsQueryDto, @Req() request: FastifyRequest): Promise<ObservationPageDto> {
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

  /** Every value the figure has had, with when and by which batch; corrections never destroy the old value. */
  @Get(':id/revisions')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ObservationPath()
  revisions(@Param('id', ParseIdPipe) id: number, @Query() _query: DisplayQueryDto): Promise<RevisionListDto> {
    return this.observations.revisions(id);
  }
}
