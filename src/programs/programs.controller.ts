import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { ListProgramsQueryDto, type ProgramDetailDto, type ProgramPageDto } from './program.dto.js';
import { ProgramsService } from './programs.service.js';
import { DisplayQueryDto } from '../http/read-query.dto.js';
import { ProgramPath } from '../http/path-parameters.js';

@ApiTags('programs')
@Controller('v1/programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  /** Named schemes and platforms: loan products, credit-information platforms, policy tools. */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400)
  list(@Query() query: ListProgramsQueryDto, @Req() request: FastifyRequest): Promise<ProgramPageDto> {
    return this.programs.list(query, request.url);
  }

  /** One program with its figures. */
  @Get(':id')
  @Policy({ cache: 'public' })
  @ApiProblemResponses(404)
  @ProgramPath()
  get(@Param('id') id: string, @Query() _query: DisplayQueryDto): Promise<ProgramDetailDto> {
    return this.programs.get(id);
  }
}
