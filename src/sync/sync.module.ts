import { Module, type DynamicModule } from '@nestjs/common';
import { BatchesService } from './batches.service.js';
import { PullService, SYNC_SETTINGS, type SyncSettings } from './pull.service.js';
import { SyncController } from './sync.controller.js';
import { SyncService } from './sync.service.js';

@Module({})
export class SyncModule {
  static forRoot(settings: SyncSettings): DynamicModule {
    return {
      module: SyncModule,
      controllers: [SyncController],
      providers: [SyncService, BatchesService, PullService, { provide: SYNC_SETTINGS, useValue: settings }],
      exports: [SyncService, PullService],
    };
  }
}
