import { Injectable } from '@nestjs/common';
import { Vocabulary } from '../figures/vocabulary.js';
import type { RegionSetDto } from './region-set.dto.js';

@Injectable()
export class RegionSetsService {
  constructor(private readonly vocabulary: Vocabulary) {}

  async list(): Promise<{ data: RegionSetDto[] }> {
    return { data: await this.vocabulary.regionSets() };
  }

  get(id: string): Promise<RegionSetDto> {
    return this.vocabulary.regionSet(id, 'id', 'path');
  }
}
