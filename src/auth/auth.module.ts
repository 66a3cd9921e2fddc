import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysService } from './api-keys.service.js';

@Global()
@Module({ providers: [ApiKeysService, ApiKeyGuard], exports: [ApiKeysService, ApiKeyGuard] })
export class AuthModule {}
