import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { CsvExport } from '../http/csv.js';
import { ParseIdPipe } from '../http/parse-id.pipe.js';
import { observationRows } from './observations.csv.js';
import { ListObservationsQueryDto, type ObservationDto, type ObservationPageDto } from './observation.dto.js';
import { ObservationsService } from './observations.service.js';

@ApiTags('observations')
@Controller('v1/observations')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  /** Figures with their unit, as-of date, qualifier and verbatim citation, filtered and paginated. */
  @Get()
  @ApiProblemResponses(400)
  @ApiProduces('application/json', 'text/csv')
  @CsvExport(observationRows, 'observations.csv')
  list(@Query() query: ListObservationsQueryDto, @Req() request: FastifyRequest): Promise<ObservationPageDto> {
    return this.observations.list(query, request.url);
  }

  /** One figure with its citation. */
  @Get(':id')
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseIdPipe) id: number): Promise<ObservationDto> {
    return this.observations.get(id);
  }
}
