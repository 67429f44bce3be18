import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { parsePhotoKey } from '@/photos/photo-cipher';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The languages the doctors' group texts exist in (CLINIC_LANGUAGE); the same as the patient languages. */
export const CLINIC_LANGUAGES = ['en', 'fr', 'es', 'pt', 'sw', 'hi', 'vi'] as const;
export type ClinicLanguage = (typeof CLINIC_LANGUAGES)[number];

/**
 * Every environment variable the service reads. This is the only place that knows their names;
 * the README's configuration table mirrors it.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  MODEL_DIR: z.string().default('./models'),
  MIN_IMAGE_SIDE: z.coerce.number().int().min(32).max(4096).default(200),
  INFERENCE_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  TELEGRAM_BOT_TOKEN: optionalString.refine(
    (v) => v === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(v),
    'must look like 123456:ABC... (the token @BotFather gives)',
  ),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^/]+/.test(v),
    'must be an absolute http(s) URL',
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
    'may contain only A-Z, a-z, 0-9, _ and - (Telegram rule)',
  ),
  TELEGRAM_DOCTORS_CHAT_ID: optionalString.refine(
    (v) => v === undefined || /^-?\d+$/.test(v),
    'must be a numeric chat id, e.g. -1001234567890',
  ),
  ADMIN_API_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  DEFAULT_LANGUAGE: z.string().default('en'),
  CONSENT_VERSION: z.string().default('2026-11-v1'),
  REMINDER_AFTER_MIN: z.coerce.number().min(1).default(60),
  URGENT_REMINDER_AFTER_MIN: z.coerce.number().min(1).default(15),
  CASE_POST_WAIT_MIN: z.coerce.number().min(0).default(10),
  WEB_TRY_ENABLED: bool.default('true'),
  PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/]+/.test(v), 'must be an absolute http(s) URL'),
  CLINIC_LANGUAGE: z
    .string()
    .default('en')
    .transform((v) => v.trim().toLowerCase())
    .refine((v): v is ClinicLanguage => (CLINIC_LANGUAGES as readonly string[]).includes(v), {
      message: `must be one of ${CLINIC_LANGUAGES.join(', ')} (the language of the doctors' group texts)`,
    }),
  WHATSAPP_ENABLED: bool.default('false'),
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  TELEGRAM_GLOBAL_PER_SEC: z.coerce.number().int().min(1).max(30).default(30),
  TELEGRAM_GROUP_PER_MIN: z.coerce.number().int().min(1).default(20),
  PHOTO_ENCRYPTION_KEY: optionalString.refine(
    (v) => v === undefined || parsePhotoKey(v).length === 32,
    'must be 32 bytes, as 64 hex characters or base64 (e.g. openssl rand -hex 32)',
  ),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  PHOTO_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(10),
  ADMIN_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(60),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  WHATSAPP_MODE: z.enum(['off', 'web', 'cloud']).optional(),
  WHATSAPP_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
  WHATSAPP_GLOBAL_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalString.refine(
    (v) => v === undefined || /^\d{5,20}$/.test(v),
    "must be the numeric Phone number ID from the app's WhatsApp > API Setup page",
  ),
  WHATSAPP_CLOUD_ACCESS_TOKEN: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_\-.]{20,}$/.test(v),
    "must be a system user's access token (letters and digits, at least 20)",
  ),
  WHATSAPP_CLOUD_APP_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9]{16,}$/.test(v),
    "must be the Meta app's App secret (App settings > Basic), at least 16 letters or digits",
  ),
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(v),
    'must be 16-256 of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 16)',
  ),
  WHATSAPP_CLOUD_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .default('v21.0'),
  WHATSAPP_CLOUD_API_BASE: z.string().url().default('https://graph.facebook.com'),
  WHATSAPP_CLOUD_PER_SEC: z.coerce.number().int().min(1).max(1000).default(20),
  WHATSAPP_TEMPLATES_DIR: z.string().default('./whatsapp-templates'),
});

export type Env = z.input<typeof envSchema>;

/** The validated, typed configuration. Built once at boot by {@link loadConfig}. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; maxUploadBytes: number; publicUrl: string };
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  dataDir: string;
  photosDir: string;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };
  redisUrl?: string;
  inference: { modelDir: string; minImageSide: number; concurrency: number; threads: number };
  telegram?: {
    token: string;
    apiRoot: string;
    webhookUrl?: string;
    webhookSecret?: string;
    doctorsChatId?: string;
    /** Outbox pacing: at most one message per chat this often, and this many per second overall. */
    chatIntervalMs: number;
    globalPerSecond: number;
    /** Posts to the doctors' group per minute (Telegram allows about 20). */
    groupPerMinute: number;
  };
  adminApiToken?: string;
  defaultLanguage: string;
  /** The language of the doctors' group texts (CLINIC_LANGUAGE), one of {@link CLINIC_LANGUAGES}. */
  clinicLanguage: string;
  consentVersion: string;
  reminders: { afterMinutes: number; urgentAfterMinutes: number; postWaitMinutes: number };
  webTryEnabled: boolean;
  privacy: { photoKey?: Buffer; retentionDays: number; photoRatePerMinute: number; adminRatePerMinute: number };
  /** WhatsApp through whatsapp-web.js (WHATSAPP_MODE=web); at most one of `whatsapp` and `whatsappCloud` is set. */
  whatsapp?: { sessionDir: string; chromiumPath: string; chatIntervalMs: number; globalIntervalMs: number };
  /** WhatsApp through Meta's Cloud API (WHATSAPP_MODE=cloud). */
  whatsappCloud?: WhatsAppCloudConfig;
}

/** The WhatsApp Business Platform (Cloud API) settings. */
export interface WhatsAppCloudConfig {
  phoneNumberId: string;
  accessToken: string;
  /** Signs the webhook's POSTs (X-Hub-Signature-256). */
  appSecret: string;
  /** What Meta sends back when it verifies the webhook URL. */
  verifyToken: string;
  apiVersion: string;
  /** https://graph.facebook.com, or a local fake in tests. */
  apiBase: string;
  chatIntervalMs: number;
  globalPerSecond: number;
  templatesDir: string;
  /** The largest photo fetched from the Cloud API (MAX_UPLOAD_BYTES). */
  maxMediaBytes: number;
}

const CLOUD_REQUIRED = [
  'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
  'WHATSAPP_CLOUD_ACCESS_TOKEN',
  'WHATSAPP_CLOUD_APP_SECRET',
  'WHATSAPP_CLOUD_VERIFY_TOKEN',
] as const;

/** Thrown at boot when the environment is invalid; lists every bad variable at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function databaseFrom(url: string | undefined, dataDir: string): AppConfig['database'] {
  if (!url) return { type: 'sqlite', path: path.join(dataDir, 'dermlink.sqlite') };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { type: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  throw new ConfigError([`DATABASE_URL: must start with sqlite: or postgres:// (got another scheme)`]);
}

/** PHOTO_ENCRYPTION_KEY alone, for worker processes that do not load the whole configuration. */
export function loadPhotoKey(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const parsed = envSchema.pick({ PHOTO_ENCRYPTION_KEY: true }).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `PHOTO_ENCRYPTION_KEY ${i.message}`));
  return parsed.data.PHOTO_ENCRYPTION_KEY ? parsePhotoKey(parsed.data.PHOTO_ENCRYPTION_KEY) : undefined;
}

/** Validates `env` (normally `process.env`) and returns the typed configuration, or throws {@link ConfigError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const problems: string[] = [];
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_BOT_TOKEN) {
    problems.push('TELEGRAM_WEBHOOK_URL: set, but TELEGRAM_BOT_TOKEN is not');
  }
  // Without the secret anyone who finds the URL could post forged updates, a doctor's among them.
  if (e.TELEGRAM_WEBHOOK_URL && (e.TELEGRAM_WEBHOOK_SECRET?.length ?? 0) < 16) {
    problems.push(
      'TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL, at least 16 characters (e.g. openssl rand -hex 16)',
    );
  }
  // WHATSAPP_ENABLED=true (older deployments) means whatsapp-web.js; WHATSAPP_MODE, when set, decides.
  const whatsappMode = e.WHATSAPP_MODE ?? (e.WHATSAPP_ENABLED ? 'web' : 'off');
  if (whatsappMode === 'cloud')
    for (const name of CLOUD_REQUIRED) if (!e[name]) problems.push(`${name}: required with WHATSAPP_MODE=cloud`);
  if (problems.length) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
    logLevel: e.LOG_LEVEL,
    dataDir,
    photosDir: path.join(dataDir, 'photos'),
    database: databaseFrom(e.DATABASE_URL, dataDir),
    redisUrl: e.REDIS_URL,
    inference: {
      modelDir: path.resolve(e.MODEL_DIR),
      minImageSide: e.MIN_IMAGE_SIDE,
      concurrency: e.INFERENCE_CONCURRENCY ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
      threads: e.INFERENCE_THREADS,
    },
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          webhookUrl: e.TELEGRAM_WEBHOOK_URL,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          doctorsChatId: e.TELEGRAM_DOCTORS_CHAT_ID,
          chatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS,
          globalPerSecond: e.TELEGRAM_GLOBAL_PER_SEC,
          groupPerMinute: e.TELEGRAM_GROUP_PER_MIN,
        }
      : undefined,
    adminApiToken: e.ADMIN_API_TOKEN,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    clinicLanguage: e.CLINIC_LANGUAGE,
    consentVersion: e.CONSENT_VERSION,
    reminders: {
      afterMinutes: e.REMINDER_AFTER_MIN,
      urgentAfterMinutes: e.URGENT_REMINDER_AFTER_MIN,
      postWaitMinutes: e.CASE_POST_WAIT_MIN,
    },
    webTryEnabled: e.WEB_TRY_ENABLED,
    privacy: {
      photoKey: e.PHOTO_ENCRYPTION_KEY ? parsePhotoKey(e.PHOTO_ENCRYPTION_KEY) : undefined,
      retentionDays: e.RETENTION_DAYS,
      photoRatePerMinute: e.PHOTO_RATE_LIMIT_PER_MIN,
      adminRatePerMinute: e.ADMIN_RATE_LIMIT_PER_MIN,
    },
    whatsapp:
      whatsappMode === 'web'
        ? {
            sessionDir: path.join(dataDir, 'whatsapp-session'),
            chromiumPath: e.CHROMIUM_PATH,
            chatIntervalMs: e.WHATSAPP_CHAT_INTERVAL_MS ?? 3000,
            globalIntervalMs: e.WHATSAPP_GLOBAL_INTERVAL_MS,
          }
        : undefined,
    whatsappCloud:
      whatsappMode === 'cloud'
        ? {
            phoneNumberId: e.WHATSAPP_CLOUD_PHONE_NUMBER_ID!,
            accessToken: e.WHATSAPP_CLOUD_ACCESS_TOKEN!,
            appSecret: e.WHATSAPP_CLOUD_APP_SECRET!,
            verifyToken: e.WHATSAPP_CLOUD_VERIFY_TOKEN!,
            apiVersion: e.WHATSAPP_CLOUD_API_VERSION,
            apiBase: e.WHATSAPP_CLOUD_API_BASE.replace(/\/+$/, ''),
            chatIntervalMs: e.WHATSAPP_CHAT_INTERVAL_MS ?? 1000,
            globalPerSecond: e.WHATSAPP_CLOUD_PER_SEC,
            templatesDir: path.resolve(e.WHATSAPP_TEMPLATES_DIR),
            maxMediaBytes: e.MAX_UPLOAD_BYTES,
          }
        : undefined,
  };
}
