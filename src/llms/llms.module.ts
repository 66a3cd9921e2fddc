import { Module } from '@nestjs/common';
import { LlmsController } from './llms.controller.js';
import { LlmsService } from './llms.service.js';

@Module({ controllers: [LlmsController], providers: [LlmsService], exports: [LlmsService] })
export class LlmsModule {}
