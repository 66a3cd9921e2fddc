import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PILOT_ZONE_EXAMPLES } from '../compare/compare.examples.js';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { PilotZoneComparisonDto, PilotZoneComparisonQueryDto, type PilotZoneDto, type PilotZoneListDto } from './pilot-zone.dto.js';
import { PilotZonesService } from './pilot-zones.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { RegionParam } from '../http/query.pipe.js';
import { PilotZonePath } from '../http/path-parameters.js';

@ApiTags('pilot-zones')
@Controller('v1/pilot-zones')
export class PilotZonesController {
  constructor(private readonly pilotZones: PilotZonesService) {}

  /** The seven sci-tech finance reform pilot zones (科创金融改革试验区) with approval year, plan document and distinctions. */
  @Get()
  @Policy({ cache: 'public' })
  list(@Query() _query: DisplayQueryDto): Promise<PilotZoneListDto> {
    return this.pilotZones.list();
  }

  /** The zones side by side: approval year, batch, plan document, distinctions, and figures by indicator with warnings. */
  @Get('compare')
  @Policy({ cache: 'public' })
  @ApiOkResponse({ type: PilotZoneComparisonDto, examples: PILOT_ZONE_EXAMPLES })
  @ApiProblemResponses(400, 404)
  compare(@Query() query: PilotZoneComparisonQueryDto): Promise<PilotZoneComparisonDto> {
    return this.pilotZones.compare(query.zones);
  }

  /** One pilot zone by the GB/T 2260 code or name of its region. */
  @Get(':regionCode')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @PilotZonePath()
  get(@Param('regionCode', RegionParam) regionCode: string, @Query() _query: DisplayQueryDto): Promise<PilotZoneDto> {
    return this.pilotZones.get(regionCode);
  }
}
