import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { ChangesQueryDto, type ChangePageDto } from './change.dto.js';
import { ChangesService } from './changes.service.js';

@ApiTags('changes')
@Controller('v1/changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  /** Every insert, update and retraction after the cursor, in commit order, with the next cursor. */
  @Get()
  @ApiProblemResponses(400)
  list(@Query() query: ChangesQueryDto): Promise<ChangePageDto> {
    return this.changes.list(query);
  }
}
