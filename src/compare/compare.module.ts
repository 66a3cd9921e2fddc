import { Module } from '@nestjs/common';
import { RegionSetsModule } from '../region-sets/region-sets.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { CompareController } from './compare.controller.js';
import { CompareService } from './compare.service.js';

@Module({ imports: [RegionsModule, RegionSetsModule], controllers: [CompareController], providers: [CompareService], exports: [CompareService] })
export class CompareModule {}
