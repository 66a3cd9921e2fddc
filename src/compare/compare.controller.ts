import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/problem.dto.js';
import { Policy } from '../http/route-policy.js';
import { CsvExport } from '../http/csv.js';
import { compareRows } from './compare.csv.js';
import { CompareQueryDto, CompareResponseDto } from './compare.dto.js';
import { COMPARE_EXAMPLES } from './compare.examples.js';
import { CompareService } from './compare.service.js';

@ApiTags('compare')
@Controller('v1/compare')
export class CompareController {
  constructor(private readonly comparisons: CompareService) {}

  /**
   * Regions side by side: for each indicator and region the figure chosen by the alignment mode,
   * the leader, difference and ratio (two regions) or ranks and shares (more), and a warning
   * wherever two figures cannot simply be compared.
   */
  @Get()
  @Policy({ cache: 'public' })
  @ApiProblemResponses(400, 404)
  @ApiOkResponse({ type: CompareResponseDto, examples: COMPARE_EXAMPLES })
  @ApiProduces('application/json', 'text/csv')
  @CsvExport(compareRows, 'compare.csv')
  compare(@Query() query: CompareQueryDto): Promise<CompareResponseDto> {
    return this.comparisons.compare(query);
  }
}
