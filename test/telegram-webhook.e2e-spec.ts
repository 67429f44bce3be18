import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { startApp, tempDataDir, testConfig } from './support/app';

describe('Telegram webhook mode', () => {
  const api = new FakeBotApi();
  let app: INestApplication;
  const secret = 'webhook-secret_123';

  beforeAll(async () => {
    await api.start();
    app = await startApp(
      testConfig({
        DATA_DIR: tempDataDir(),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_WEBHOOK_URL: 'https://clinic.example.org/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: secret,
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  it('should register the webhook with the secret token instead of polling', () => {
    const set = api.calls.find((c) => c.method === 'setWebhook');
    expect(set?.params).toMatchObject({ url: 'https://clinic.example.org/telegram/webhook', secret_token: secret });
    expect(api.calls.some((c) => c.method === 'deleteWebhook')).toBe(false);
  });

  it('should refuse updates without the right secret header and handle those with it', async () => {
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 3001, type: 'private' },
        from: { id: 3001, is_bot: false, first_name: 'P' },
        text: '/help',
      },
    };
    const http = request(app.getHttpServer());
    await http.post('/telegram/webhook').send(update).expect(403);
    await http.post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', 'wrong').send(update).expect(403);
    await http.post('/telegram/webhook').set('X-Telegram-Bot-Api-Secret-Token', secret).send(update).expect(200);
    await api.waitForText(3001, /How it works/);
  });
});
