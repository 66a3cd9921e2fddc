import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { ListIndicatorsQueryDto, type IndicatorDto, type IndicatorPageDto, type TopicListDto } from './indicator.dto.js';
import { IndicatorsService } from './indicators.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { IndicatorParam } from '../http/query.pipe.js';
import { IndicatorPath } from '../http/path-parameters.js';

@ApiTags('indicators')
@Controller('v1')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  /** Indicators with their unit, measure type, definition and the indicators they may be compared with. */
  @Get('indicators')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  list(@Query() query: ListIndicatorsQueryDto, @Req() request: FastifyRequest): Promise<IndicatorPageDto> {
    return this.indicators.list(query, request.url);
  }

  /** One indicator by its stable code. */
  @Get('indicators/:code')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @IndicatorPath()
  get(@Param('code', IndicatorParam) code: string, @Query() _query: DisplayQueryDto): Promise<IndicatorDto> {
    return this.indicators.get(code);
  }

  /** The topics indicators are grouped in. */
  @Get('topics')
  @Policy({ cache: 'public' })
  topics(@Query() _query: DisplayQueryDto): Promise<TopicListDto> {
    return this.indicators.topics();
  }
}
