import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@/config/app-config';
import { ConfigModule } from '@/config/config.module';
import { DatabaseModule } from '@/database/database.module';

@Module({})
class CliModule {
  static forRoot(config: AppConfig, modules: Type[]): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.withConfig(config), DatabaseModule, ...modules] };
  }
}

/**
 * Runs a CLI command inside a small Nest context (configuration + database + the given modules),
 * on the same configuration as the service, and closes it afterwards.
 */
export async function withCliContext<T>(
  config: AppConfig,
  modules: Type[],
  run: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, modules), { logger: ['error'] });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}
