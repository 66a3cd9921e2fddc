import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { AvailabilityQueryDto, type AvailabilityDto } from './availability.dto.js';
import { AvailabilityService } from './availability.service.js';

@ApiTags('availability')
@Controller('v1/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  /** Which region × indicator pairs have figures, with first and last as-of date and count. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  list(@Query() query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    return this.availability.list(query);
  }
}
