import * as fs from 'node:fs';
import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { dataSourceOptions } from './database.options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (config.database.type === 'sqlite' && config.database.path !== ':memory:') {
          fs.mkdirSync(path.dirname(config.database.path), { recursive: true });
        }
        return dataSourceOptions(config);
      },
    }),
  ],
})
export class DatabaseModule {}
