import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResponseCache, type ResponseCacheSettings } from './response-cache.js';

@Global()
@Module({})
export class ResponseCacheModule {
  static forRoot(settings: ResponseCacheSettings): DynamicModule {
    return {
      module: ResponseCacheModule,
      providers: [{ provide: ResponseCache, inject: [DataSource], useFactory: (db: DataSource) => new ResponseCache(db, settings) }],
      exports: [ResponseCache],
    };
  }
}
