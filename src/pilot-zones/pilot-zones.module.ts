import { Module } from '@nestjs/common';
import { PilotZonesController } from './pilot-zones.controller.js';
import { PilotZonesService } from './pilot-zones.service.js';

@Module({ controllers: [PilotZonesController], providers: [PilotZonesService] })
export class PilotZonesModule {}
