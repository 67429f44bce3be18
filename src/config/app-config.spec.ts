import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('should apply the documented defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.dataDir).toMatch(/data$/);
    expect(config.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/dermlink\.sqlite$/) });
    expect(config.telegram).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.inference.minImageSide).toBe(200);
  });

  it('should list every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TELEGRAM_BOT_TOKEN: 'nope', ADMIN_API_TOKEN: 'short', TELEGRAM_DOCTORS_CHAT_ID: 'doctors' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'TELEGRAM_BOT_TOKEN', 'ADMIN_API_TOKEN', 'TELEGRAM_DOCTORS_CHAT_ID'])
      expect(message).toContain(name);
  });

  it('should read a PostgreSQL or SQLite DATABASE_URL and refuse other schemes', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1/dermlink' }).database).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@127.0.0.1/dermlink',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('should enable Telegram only with a token, and refuse a webhook without one', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
    });
    expect(config.telegram).toMatchObject({ apiRoot: 'http://127.0.0.1:8081', webhookUrl: undefined });
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://x.org/hook' })).toThrow(/TELEGRAM_WEBHOOK_URL/);
  });

  it('should refuse a webhook without a secret token of at least 16 characters', () => {
    const webhook = { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://x.org/hook' };
    expect(() => loadConfig(webhook)).toThrow(/TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL/);
    expect(() => loadConfig({ ...webhook, TELEGRAM_WEBHOOK_SECRET: 'short' })).toThrow(/at least 16 characters/);
    expect(loadConfig({ ...webhook, TELEGRAM_WEBHOOK_SECRET: '0123456789abcdef' }).telegram?.webhookSecret).toBe(
      '0123456789abcdef',
    );
  });

  it("should read CLINIC_LANGUAGE, default English, and refuse a language the doctors' texts do not exist in", () => {
    expect(loadConfig({}).clinicLanguage).toBe('en');
    expect(loadConfig({ CLINIC_LANGUAGE: 'FR ' }).clinicLanguage).toBe('fr');
    expect(() => loadConfig({ CLINIC_LANGUAGE: 'de' })).toThrow(/CLINIC_LANGUAGE: must be one of en, fr, es, pt, sw, hi, vi/);
  });
  it('should choose one WhatsApp mode: web (also the older WHATSAPP_ENABLED), or cloud with its four settings', () => {
    expect(loadConfig({ WHATSAPP_ENABLED: 'true' }).whatsapp).toMatchObject({ chatIntervalMs: 3000 });
    expect(loadConfig({ WHATSAPP_MODE: 'web' }).whatsappCloud).toBeUndefined();
    expect(loadConfig({ WHATSAPP_ENABLED: 'true', WHATSAPP_MODE: 'off' }).whatsapp).toBeUndefined();
    expect(() => loadConfig({ WHATSAPP_MODE: 'cloud' })).toThrow(
      /WHATSAPP_CLOUD_PHONE_NUMBER_ID: required[\s\S]*ACCESS_TOKEN: required[\s\S]*APP_SECRET: required[\s\S]*VERIFY_TOKEN: required/,
    );
    const cloud = {
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '109876543210',
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG0123456789abcdefghij',
      WHATSAPP_CLOUD_APP_SECRET: '0123456789abcdef0123456789abcdef',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-0123456789',
    };
    const config = loadConfig({ ...cloud, WHATSAPP_ENABLED: 'true' });
    expect(config.whatsapp).toBeUndefined();
    expect(config.whatsappCloud).toMatchObject({
      phoneNumberId: '109876543210',
      apiVersion: 'v21.0',
      apiBase: 'https://graph.facebook.com',
      chatIntervalMs: 1000,
      globalPerSecond: 20,
    });
    expect(() => loadConfig({ ...cloud, WHATSAPP_CLOUD_API_VERSION: '21' })).toThrow(
      /WHATSAPP_CLOUD_API_VERSION: must look like v21.0/,
    );
    expect(() => loadConfig({ ...cloud, WHATSAPP_CLOUD_VERIFY_TOKEN: 'short' })).toThrow(/WHATSAPP_CLOUD_VERIFY_TOKEN/);
  });
});
