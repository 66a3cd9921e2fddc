import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataVersion } from '../database/data-version.js';
import { ResponseCache, type ResponseCacheSettings } from './response-cache.js';

@Global()
@Module({})
export class ResponseCacheModule {
  static forRoot(settings: ResponseCacheSettings): DynamicModule {
    return {
      module: ResponseCacheModule,
      providers: [{ provide: ResponseCache, inject: [DataVersion], useFactory: (version: DataVersion) => new ResponseCache(version, settings) }],
      exports: [ResponseCache],
    };
  }
}
