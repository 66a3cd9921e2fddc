import { Module } from '@nestjs/common';
import { CompareModule } from '../compare/compare.module.js';
import { RegionsModule } from '../regions/regions.module.js';
import { PilotZonesController } from './pilot-zones.controller.js';
import { PilotZonesService } from './pilot-zones.service.js';

@Module({ imports: [RegionsModule, CompareModule], controllers: [PilotZonesController], providers: [PilotZonesService] })
export class PilotZonesModule {}
