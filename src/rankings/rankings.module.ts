import { Module } from '@nestjs/common';
import { CompareModule } from '../compare/compare.module.js';
import { RegionSetsModule } from '../region-sets/region-sets.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { RankingsController } from './rankings.controller.js';
import { RankingsService } from './rankings.service.js';

@Module({ imports: [CompareModule, RegionsModule, RegionSetsModule], controllers: [RankingsController], providers: [RankingsService] })
export class RankingsModule {}
