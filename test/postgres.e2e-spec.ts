import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Consultation } from '@/consultations/consultation.entity';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient, photoCase } from './support/journey';

/** A PostgreSQL database the suite may wipe, e.g. postgres://dermlink:dermlink@127.0.0.1:5432/dermlink_test (.ci/run creates it). */
const URL = process.env.TEST_DATABASE_URL;
if (!URL) console.warn('Skipping the PostgreSQL suite: TEST_DATABASE_URL is not set (see .ci/run)');
const run = URL ? describe : describe.skip;

run('PostgreSQL through DATABASE_URL (real server)', () => {
  const api = new FakeBotApi();
  const GROUP = -100999;
  let app: INestApplication;
  let env: Record<string, string>;

  beforeAll(async () => {
    const admin = new Client({ connectionString: URL });
    await admin.connect();
    await admin.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await admin.end();
    await api.start();
    env = {
      DATA_DIR: tempDataDir(),
      DATABASE_URL: URL!,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
    };
    app = await startApp(testConfig(env));
  });

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  it('should run the migrations and the whole journey on PostgreSQL, and keep it across a restart', async () => {
    const db = app.get(DataSource);
    expect(db.options.type).toBe('postgres');
    const migrations = await db.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
    expect(migrations.map((m) => m.name)).toEqual([
      'InitialSchema1795000000000',
      'Outreach1795000000001',
      'Outbox1795000000002',
      'AuditPatientLinks1795000000003',
      'HandledUpdates1795000000004',
      'OutboxKeys1795000000005',
      'UpdateClaims1795000000006',
      'DeliveryReports1795000000007',
      'ChatMenus1795000000008',
    ]);

    const chat = 5001;
    await consentedPatient(api, chat);
    const code = await photoCase(api, chat, await lesionPhoto(7));
    await api.waitForCall((c) => c.method === 'sendPhoto' && String(c.params.caption).startsWith(`Case ${code}`));
    const stored = await db.getRepository(Consultation).findOneByOrFail({ code });
    expect(stored.aiResult?.top).toHaveLength(7);
    expect(stored.intake).toMatchObject({ bodySite: 'legs' });
    expect(stored.postedAt).toBeInstanceOf(Date);

    await app.close();
    app = await startApp(testConfig(env));
    const again = await app.get(DataSource).getRepository(Consultation).findOneByOrFail({ code });
    expect(again.status).toBe('awaiting_doctor');
    api.sendText(chat, '/status');
    await api.waitForText(chat, new RegExp(`${code}: waiting for a doctor`));
  });
});
