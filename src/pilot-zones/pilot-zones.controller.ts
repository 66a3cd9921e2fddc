import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import type { PilotZoneDto, PilotZoneListDto } from './pilot-zone.dto.js';
import { PilotZonesService } from './pilot-zones.service.js';

@ApiTags('pilot-zones')
@Controller('v1/pilot-zones')
export class PilotZonesController {
  constructor(private readonly pilotZones: PilotZonesService) {}

  /** The seven sci-tech finance reform pilot zones (科创金融改革试验区) with approval year, plan document and distinctions. */
  @Get()
  list(): Promise<PilotZoneListDto> {
    return this.pilotZones.list();
  }

  /** One pilot zone by the GB/T 2260 code of its region. */
  @Get(':regionCode')
  @ApiProblemResponses(404)
  get(@Param('regionCode') regionCode: string): Promise<PilotZoneDto> {
    return this.pilotZones.get(regionCode);
  }
}
