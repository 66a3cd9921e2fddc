import { Controller, Get, Query } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { ChartExport } from '../http/chart.js';
import { CsvExport } from '../http/csv.js';
import { CHART_FORMATS, mediaTypesOf } from '../http/representations.js';
import { availabilityChart } from './availability.chart.js';
import { availabilityRows } from './availability.csv.js';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { AvailabilityQueryDto, type AvailabilityDto } from './availability.dto.js';
import { AvailabilityService } from './availability.service.js';

@ApiTags('availability')
@Controller('v1/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  /** Which region × indicator pairs have figures, with first and last as-of date and count; as a chart, the grid shaded by count. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ApiProduces(...mediaTypesOf(CHART_FORMATS))
  @CsvExport(availabilityRows, 'availability.csv')
  @ChartExport(availabilityChart)
  list(@Query() query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    return this.availability.list(query);
  }
}
