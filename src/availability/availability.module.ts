import { Module } from '@nestjs/common';
import { CompareModule } from '../compare/compare.module.js';
import { RegionSetsModule } from '../region-sets/region-sets.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { AvailabilityController } from './availability.controller.js';
import { AvailabilityService } from './availability.service.js';

@Module({ imports: [CompareModule, RegionsModule, RegionSetsModule], controllers: [AvailabilityController], providers: [AvailabilityService] })
export class AvailabilityModule {}
