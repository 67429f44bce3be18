import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import type { BotsOverrides } from '@/bots/bots.module';
import { createApp } from '@/bootstrap';
import { AppConfig, loadConfig } from '@/config/app-config';
import { until } from './fakes';

/** A fresh DATA_DIR for one test file. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-e2e-'));
}

/** Builds the configuration the way production does, from environment-style variables. */
export function testConfig(vars: Record<string, string | undefined>): AppConfig {
  // Telegram's one-message-per-second pacing is tested in the outbox spec; here it would only slow the journeys down.
  // One model in process keeps each suite's start fast; the worker pool has its own suite. The group
  // post limit (20/min) would stall the inbox suites; the limiter itself has a unit spec.
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    MODEL_DIR: path.resolve(__dirname, '../../models'),
    TELEGRAM_CHAT_INTERVAL_MS: '0',
    TELEGRAM_GROUP_PER_MIN: '600',
    INFERENCE_CONCURRENCY: '1',
    ...vars,
  });
}

/** Starts the real service (real database, model, channels) on an ephemeral port. */
export async function startApp(config: AppConfig, overrides: BotsOverrides = {}): Promise<INestApplication> {
  const app = await createApp({ ...config, http: { ...config.http, port: 0, host: '127.0.0.1' } }, overrides);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Polls `check` until it returns a truthy value (work that finishes just after a reply was seen). */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'a condition',
): Promise<T> {
  return until(check, what, timeoutMs);
}

/** Runs one of the real CLIs (`npm run <script> -- ...`: doctor, outreach) in a child process on the configuration `env`. */
export async function runCli(env: Record<string, string>, script: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '-s', script, '--', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
  });
  return stdout;
}
