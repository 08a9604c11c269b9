import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { AppConfig, CONFIG_SECTIONS } from './config.schema';
import { loadConfig } from './config.loader';

/**
 * Global: every module may inject AppConfig or just the section it reads (e.g. `RedisConfig`).
 * The config is loaded once by the launcher (main.ts) so that a bad value stops the process before Nest
 * starts, with one clear line.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    const sections: Provider[] = Object.entries(CONFIG_SECTIONS).map(([name, token]) => ({
      provide: token,
      useValue: config[name as keyof typeof CONFIG_SECTIONS],
    }));
    const providers: Provider[] = [{ provide: AppConfig, useValue: config }, ...sections];
    return { module: ConfigModule, providers, exports: providers };
  }
}
