import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PlatformModule } from '@app/platform';
import { InferenceModule } from './inference.module';

/** The inference app run alone (`npm run start:inference`). */
@Module({})
export class InferenceAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: InferenceAppModule, imports: [PlatformModule.forRoot(config), InferenceModule] };
  }
}
