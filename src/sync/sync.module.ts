import { Module } from '@nestjs/common';
import { BatchesService } from './batches.service.js';
import { SyncController } from './sync.controller.js';
import { SyncService } from './sync.service.js';

@Module({ controllers: [SyncController], providers: [SyncService, BatchesService], exports: [SyncService] })
export class SyncModule {}
