import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto, tinyPhoto } from './support/images';

describe('HTTP: health, diagnoses API, docs and the "try it" page (no Telegram token)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApp(testConfig({ DATA_DIR: tempDataDir(), MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) }));
    http = request(app.getHttpServer());
  });

  afterAll(() => app?.close());

  it('should report healthy once the database and the model are ready', async () => {
    const res = await http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: true, channels: { web: true } });
    expect(res.body.model.model.name).toBe('dermlink-skin');
  });

  it('should classify an uploaded photo and return the documented result shape', async () => {
    const res = await http
      .post('/api/v1/diagnoses')
      .attach('image', await lesionPhoto(), 'lesion.jpg')
      .expect(200);
    expect(res.body).toMatchObject({ model: { name: 'dermlink-skin' }, verdict: 'ok', reasons: [] });
    expect(res.body.top).toHaveLength(7);
    const sum = (res.body.top as { probability: number }[]).reduce((s, p) => s + p.probability, 0);
    expect(sum).toBeCloseTo(1, 4);
    expect(['urgent', 'soon', 'routine']).toContain(res.body.risk);
    expect(typeof res.body.uncertain).toBe('boolean');
  });

  it('should answer bad uploads with a clear verdict or message, never a crash', async () => {
    const text = await http
      .post('/api/v1/diagnoses')
      .attach('image', Buffer.from('not an image at all'), 'notes.txt')
      .expect(200);
    expect(text.body).toMatchObject({ verdict: 'retake', reasons: ['unsupported_format'], top: [] });
    const small = await http
      .post('/api/v1/diagnoses')
      .attach('image', await tinyPhoto(), 'small.jpg')
      .expect(200);
    expect(small.body.reasons).toContain('too_small');
    const none = await http.post('/api/v1/diagnoses').field('other', 'x').expect(400);
    expect(none.body.message).toMatch(/field "image"/);
    await http
      .post('/api/v1/diagnoses')
      .attach('image', Buffer.alloc(3 * 1024 * 1024, 1), 'big.jpg')
      .expect(413);
  });

  it('should serve the OpenAPI docs', async () => {
    const res = await http.get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/diagnoses', '/health', '/api/v1/consultations']),
    );
  });

  it('should run the same patient journey on the "try it" page', async () => {
    const page = await http.get('/').expect(200);
    expect(page.text).toContain('Try the patient journey');
    const { session } = (await http.post('/try/sessions').expect(201)).body as { session: string };
    let after = 0;
    const all: { text: string; buttons?: { data: string }[][] }[] = [];
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 300; i++) {
        const res = await http.get(`/try/sessions/${session}/messages?after=${after}`).expect(200);
        for (const m of res.body.messages as { seq: number; text: string }[]) {
          after = m.seq;
          all.push(m);
        }
        const hit = all.find((m) => pattern.test(m.text));
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`No message matching ${pattern}; got:\n${all.map((m) => m.text).join('\n---\n')}`);
    };
    const languages = await waitFor(/choose your language/);
    expect(languages.buttons?.flat().map((b) => b.data)).toContain('lang:en');
    await http.post(`/try/sessions/${session}/actions`).send({ data: 'lang:en' }).expect(202);
    await waitFor(/Do you agree/);
    await http.post(`/try/sessions/${session}/actions`).send({ data: 'consent:yes' }).expect(202);
    await http
      .post(`/try/sessions/${session}/photos`)
      .attach('image', await lesionPhoto(6), 'me.jpg')
      .expect(202);
    const result = await waitFor(/Most likely: .+ \(\d+%\)/);
    expect(result.text).toMatch(/not a diagnosis/i);
    await waitFor(/^About: /);
    await waitFor(/case code is C-[A-Z0-9]{4,8}/);
    await http.post(`/try/sessions/${session}/texts`).send({ text: '/status' }).expect(202);
    await waitFor(/C-[A-Z0-9]+: waiting for a doctor/);
    await http.get('/try/sessions/00000000000000000000000000000000/messages').expect(404);
  });
});
