import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SkinClassifier } from '@/inference/classifier';
import { startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto } from './support/images';

describe('Inference in worker processes (INFERENCE_CONCURRENCY=2)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(testConfig({ DATA_DIR: tempDataDir(), INFERENCE_CONCURRENCY: '2' }));
  }, 120_000);

  afterAll(() => app?.close());

  it('should classify photos in parallel in child processes, with the same results as in process', async () => {
    const ids = [1, 2, 3, 4];
    const photos = await Promise.all(ids.map((id) => lesionPhoto(id)));
    const http = request(app.getHttpServer());
    const responses = await Promise.all(
      photos.map((p) => http.post('/api/v1/diagnoses').attach('image', p, 'p.jpg').expect(200)),
    );
    const local = await SkinClassifier.load({ modelDir: 'models' });
    try {
      for (const [i, res] of responses.entries()) {
        const expected = await local.diagnose(photos[i]);
        expect(res.body.verdict).toBe(expected.verdict);
        expect((res.body.top as { label: string }[]).map((t) => t.label)).toEqual(expected.top.map((t) => t.label));
        expect(res.body.top[0].probability).toBeCloseTo(expected.top[0].probability, 5);
      }
    } finally {
      await local.dispose();
    }
    const health = await http.get('/health').expect(200);
    expect(health.body.model.model.name).toBe('dermlink-skin');
  });
});
