import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication, ModuleMetadata, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@/config/app-config';
import { ConfigModule } from '@/config/config.module';
import { DatabaseModule } from '@/database/database.module';
import { JobsModule } from '@/jobs/jobs.module';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { MessagingModule } from '@/messaging/messaging.module';
import { OutboxModule } from '@/outbox/outbox.module';
import { RateLimitsModule } from '@/rate-limits/rate-limits.module';
import { RedisModule } from '@/redis/redis.module';
import { RecordingChannel } from './fakes';

/**
 * One feature module on the real infrastructure, for a service spec: SQLite in a fresh DATA_DIR,
 * the in-process jobs, rate limits and chat lock (no Redis), the real outbox delivering to a
 * {@link RecordingChannel} (Telegram-shaped unless told), the committed model where the feature
 * needs it.
 */
export async function serviceModule(
  imports: NonNullable<ModuleMetadata['imports']>,
  options: { vars?: Record<string, string>; providers?: Provider[]; channel?: RecordingChannel } = {},
): Promise<{ app: INestApplication; config: AppConfig; channel: RecordingChannel }> {
  const config = loadConfig({
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-spec-')),
    MODEL_DIR: path.resolve(__dirname, '../../models'),
    INFERENCE_CONCURRENCY: '1',
    ...options.vars,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.withConfig(config),
      RedisModule,
      DatabaseModule,
      JobsModule.partial(),
      RateLimitsModule,
      MessagingModule,
      OutboxModule,
      ...imports,
    ],
    providers: options.providers ?? [],
  }).compile();
  const channel = options.channel ?? new RecordingChannel();
  moduleRef.get(ChannelRegistry).register(channel);
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, config, channel };
}
