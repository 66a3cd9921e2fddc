import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database.js';
import { ResponseCache, type ResponseCacheSettings } from './response-cache.js';

@Global()
@Module({})
export class ResponseCacheModule {
  static forRoot(settings: ResponseCacheSettings): DynamicModule {
    return {
      module: ResponseCacheModule,
      providers: [{ provide: ResponseCache, inject: [ReadDatabase], useFactory: (db: ReadDatabase) => new ResponseCache(db, settings) }],
      exports: [ResponseCache],
    };
  }
}
