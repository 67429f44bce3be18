import type { INestApplication } from '@nestjs/common';
import sharp from 'sharp';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Consultation } from '@/consultations/consultation.entity';
import { Patient } from '@/patients/patient.entity';
import { RetentionService } from '@/privacy/retention.service';
import { pngBomb } from './support/synthetic';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { eventually, startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient } from './support/journey';

/** A small deterministic PRNG so the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

describe('Bad input, privacy and security (real service, fake Bot API)', () => {
  const api = new FakeBotApi();
  let app: INestApplication;
  const chat = 4001;

  beforeAll(async () => {
    await api.start();
    app = await startApp(
      testConfig({
        DATA_DIR: tempDataDir(),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        PHOTO_RATE_LIMIT_PER_MIN: '12',
        ADMIN_API_TOKEN: 'admin-token-bad-input-0123456789',
        ADMIN_RATE_LIMIT_PER_MIN: '5',
        RETENTION_DAYS: '90',
      }),
    );
    await consentedPatient(api, chat);
  });

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  /** Sends a file as an image document and waits for the answer that follows it. */
  async function sendFile(data: Buffer, mime: string, expected: RegExp): Promise<void> {
    const before = api.sent(chat).length;
    api.sendPhoto(chat, data, { asDocument: true, mime });
    await api.waitForCall(
      (c) => api.sent(chat).indexOf(c) >= before && expected.test(String(c.params.text)),
      60_000,
      `an answer matching ${expected}`,
    );
  }

  it('should answer every kind of bad file with a clear message and keep running', async () => {
    const jpeg = await lesionPhoto();
    await sendFile(Buffer.alloc(0), 'image/jpeg', /the file is empty/);
    await sendFile(Buffer.from('Dear doctor, my skin itches.\n'), 'image/jpeg', /cannot open this file as a picture/);
    await sendFile(
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF'),
      'image/png',
      /cannot open this file as a picture/,
    );
    await sendFile(jpeg.subarray(0, Math.floor(jpeg.length / 3)), 'image/jpeg', /cannot open this file as a picture/);
    const corrupted = Buffer.from(jpeg);
    for (let i = 600; i < corrupted.length; i += 97) corrupted[i] ^= 0xff;
    await sendFile(corrupted, 'image/jpeg', /could not use this photo|Most likely|does not look like/);
    await sendFile(await pngBomb(12_000), 'image/png', /far too large to open/);
    const heicLike = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(64, 7)]);
    await sendFile(heicLike, 'image/heic', /cannot open this file as a picture/);
    // An animated GIF (three frames): read by its first frame, then gated like any photo.
    const frame = (r: number) =>
      sharp({ create: { width: 300, height: 300, channels: 3, background: { r, g: 150, b: 130 } } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame(200), await frame(120), await frame(60)], { join: { animated: true } })
      .gif({ delay: [100, 100, 100] })
      .toBuffer();
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(3);
    await sendFile(gif, 'image/gif', /could not use this photo|Most likely|does not look like/);
    // A document over Telegram's 20 MB download limit is refused before any download.
    api.message(chat, {
      document: { file_id: 'huge', file_unique_id: 'huge', mime_type: 'image/jpeg', file_size: 25 * 1024 * 1024 },
    });
    await api.waitForText(chat, /too large for us to receive/);
    api.message(chat, { video: { file_id: 'v', file_unique_id: 'v', width: 1, height: 1, duration: 3 } });
    api.message(chat, { voice: { file_id: 'a', file_unique_id: 'a', duration: 2 } });
    api.message(chat, { document: { file_id: 'p', file_unique_id: 'p', mime_type: 'application/pdf', file_size: 1000 } });
    await api.waitForCall(() => api.textsTo(chat).filter((t) => /we can only read photos/.test(t)).length >= 3);
    api.sendText(chat, `${'ש'.repeat(3000)} 🙂 ${'x'.repeat(20_000)}`);
    api.pressButton(chat, 'intake:bodySite:../../etc', 1);
    api.pressButton(chat, 'delete:yes', 1); // forged: no deletion was asked for
    api.sendText(chat, '/help');
    await api.waitForText(chat, /How it works/);
    const db = app.get(DataSource);
    expect(await db.getRepository(Patient).countBy({ channelUserId: String(chat) })).toBe(1);
    const stored = await db.getRepository(Consultation).countBy({ status: 'rejected' });
    expect(stored).toBeGreaterThanOrEqual(5); // every refused photo is kept on record, nothing lost
  });

  it('should poll Telegram again after a poll is refused (409 Conflict) and answer what came meanwhile', async () => {
    api.failures.set('getUpdates', [{ code: 409, description: 'Conflict: terminated by other getUpdates request' }]);
    await eventually(
      () => Promise.resolve(api.failures.get('getUpdates')!.length === 0 || undefined),
      10_000,
      'the refused poll',
    );
    const before = api.sent(chat).length;
    api.sendText(chat, '/help');
    await api.waitForCall(
      (c) => api.sent(chat).indexOf(c) >= before && /How it works/.test(String(c.params.text)),
      30_000,
      'the answer after polling resumed',
    );
  });

  it('should answer a message whose handling failed unexpectedly with an apology, and keep running', async () => {
    api.failures.set('getFile', [{ code: 500, description: 'Internal Server Error' }]);
    const before = api.sent(chat).length;
    api.sendPhoto(chat, await lesionPhoto(1));
    await api.waitForCall(
      (c) => api.sent(chat).indexOf(c) >= before && /something went wrong on our side/.test(String(c.params.text)),
      30_000,
      'the apology',
    );
    api.sendText(chat, '/help');
    await api.waitForCall(
      (c) => api.sent(chat).indexOf(c) >= before && /How it works/.test(String(c.params.text)),
      30_000,
      'the next answer',
    );
  });

  it('should slow down a patient who sends a flood of photos, with a friendly message', async () => {
    const flooder = 4002;
    await consentedPatient(api, flooder);
    const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .jpeg()
      .toBuffer();
    for (let i = 0; i < 30; i++) api.sendPhoto(flooder, photo);
    await api.waitForText(flooder, /sending a lot of photos/);
    await api.waitForCall(
      () =>
        api.textsTo(flooder).filter((t) => /Photo received/.test(t)).length === 12 &&
        api.textsTo(flooder).filter((t) => /sending a lot/.test(t)).length === 18,
    );
  });

  it('should fuzz the image path with random bytes without a crash', async () => {
    const random = prng(20261126);
    const http = request(app.getHttpServer());
    const headers = [
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('GIF89a'),
      Buffer.from('RIFF0000WEBP'),
      Buffer.alloc(0),
    ];
    for (let i = 0; i < 40; i++) {
      const body = Buffer.from(Array.from({ length: Math.floor(random() * 4000) }, () => Math.floor(random() * 256)));
      const bytes = Buffer.concat([headers[i % headers.length], body]);
      const res = await http.post('/api/v1/diagnoses').attach('image', bytes, 'fuzz.bin');
      expect(res.status).toBe(200);
      expect(['retake', 'not_skin', 'ok']).toContain(res.body.verdict);
    }
    await http.get('/health').expect(200);
  });

  it('should send security headers and a strict Content-Security-Policy on the page', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('should rate limit the admin API', async () => {
    const http = request(app.getHttpServer());
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await http.get('/api/v1/consultations').set('Authorization', 'Bearer wrong-token-guess-000000')).status);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
  });

  it('should delete the photos of cases closed more than RETENTION_DAYS ago', async () => {
    const db = app.get(DataSource);
    const repo = db.getRepository(Consultation);
    const c = await repo.findOneByOrFail({ status: 'rejected' });
    expect(c.photoFile).toBeTruthy();
    const retention = app.get(RetentionService);
    const now = c.resultAt ?? c.createdAt;
    expect(await retention.purge(new Date(now.getTime() + 89 * 86_400_000))).toBe(0);
    expect(await retention.purge(new Date(now.getTime() + 91 * 86_400_000))).toBeGreaterThan(0);
    expect((await repo.findOneByOrFail({ id: c.id })).photoFile).toBeNull();
  });
});
