import { Module } from '@nestjs/common';
import { RegionLookup } from './region-lookup.service.js';
import { RegionsController } from './regions.controller.js';
import { RegionsService } from './regions.service.js';

@Module({ controllers: [RegionsController], providers: [RegionsService, RegionLookup], exports: [RegionsService, RegionLookup] })
export class RegionsModule {}
