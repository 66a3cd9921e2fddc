import { Module } from '@nestjs/common';
import { RegionSetsController } from './region-sets.controller.js';
import { RegionSetsService } from './region-sets.service.js';

@Module({ controllers: [RegionSetsController], providers: [RegionSetsService], exports: [RegionSetsService] })
export class RegionSetsModule {}
