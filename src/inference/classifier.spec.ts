import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { ImageView } from './backbones';
import { SkinClassifier } from './classifier';
import { InferenceResult, LESION_LABELS } from './inference.types';
import { ModelMetadata } from './model-metadata';
import { hamDir, MODEL_DIR } from './testing/dataset-dir';
import * as S from './testing/synthetic';

const HAM = hamDir();
const itWithData = HAM ? it : it.skip;

function hamImage(id: string): Buffer {
  return readFileSync(path.join(HAM ?? '', 'images', `${id}.jpg`));
}

/** A 600x450 dermoscopy-like photo: a HAM10000 image upscaled 3x, or a synthetic lesion without the dataset. */
async function goodPhoto(): Promise<Buffer> {
  if (!HAM) return S.lesionLike(1);
  return sharp(hamImage('ISIC_0024306')).resize(600, 450).jpeg({ quality: 92 }).toBuffer();
}

/** The shipped model in a temporary folder, its metadata asking for test-time augmentation over `views`. */
function modelWithViews(views: ImageView[]): string {
  return modelWith({ testViews: views });
}

/** A copy of the committed model with `patch` applied to its metadata. */
function modelWith(patch: Partial<ModelMetadata>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dermlink-model-'));
  const meta = JSON.parse(readFileSync(path.join(MODEL_DIR, 'metadata.json'), 'utf8')) as ModelMetadata;
  const modelJson = JSON.parse(readFileSync(path.join(MODEL_DIR, meta.head.modelJson), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const weights = modelJson.weightsManifest.flatMap((group) => group.paths);
  for (const f of [meta.head.modelJson, ...weights, meta.stats.file]) copyFileSync(path.join(MODEL_DIR, f), path.join(dir, f));
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ ...meta, ...patch }));
  return dir;
}

describe(SkinClassifier.name, () => {
  let classifier: SkinClassifier;

  beforeAll(async () => {
    classifier = await SkinClassifier.load({ modelDir: MODEL_DIR });
  }, 120_000);

  afterAll(() => classifier?.dispose());

  describe('load', () => {
    it('should report the backend and the model identity', () => {
      expect(['tensorflow', 'wasm', 'cpu']).toContain(classifier.backend);
      expect(classifier.model.name).toBe(classifier.metadata.name);
      expect(classifier.model.version).toMatch(/\d+\.\d+\.\d+/);
      expect(classifier.metadata.labels).toEqual([...LESION_LABELS]);
    });
  });

  describe('feature blocks', () => {
    it('should refuse a model whose featureBlocks name a layer no backbone gives', async () => {
      const dir = modelWith({ featureBlocks: ['resnet50/activation_48', 'resnet50/no_such_layer'] });
      try {
        await expect(SkinClassifier.load({ modelDir: dir })).rejects.toThrow(/featureBlocks resnet50\/no_such_layer are not/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('test-time augmentation', () => {
    it('should refuse to load a model whose testViews names an unknown view', async () => {
      const dir = modelWithViews(['identity', 'upside-down' as ImageView]);
      try {
        await expect(SkinClassifier.load({ modelDir: dir })).rejects.toThrow(/testViews .*upside-down/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    itWithData('should average the logits over the views in metadata.testViews', async () => {
      const photo = hamImage('ISIC_0024306');
      const dirs = [modelWithViews(['identity']), modelWithViews(['hflip']), modelWithViews(['identity', 'hflip'])];
      const [asIs, mirrored, both] = await Promise.all(dirs.map((modelDir) => SkinClassifier.load({ modelDir, minShortSide: 150 })));
      try {
        const [plain] = await asIs.analyse([photo]);
        asIs.dispose();
        const [m] = await mirrored.analyse([photo]);
        const [b] = await both.analyse([photo]);
        const [pp, pm, pb] = [plain, m, b].map((r) => r.probabilities ?? []);
        // The mirror image really is another input...
        expect(pm.some((p, c) => Math.abs(p - pp[c]) > 1e-3)).toBe(true);
        // ...and the mean of two logit vectors is, up to a constant, the mean of their log-probabilities.
        const meanLog = pp.map((p, c) => (Math.log(p) + Math.log(pm[c])) / 2);
        const norm = meanLog.reduce((s, v) => s + Math.exp(v), 0);
        meanLog.forEach((v, c) => expect(pb[c]).toBeCloseTo(Math.exp(v) / norm, 5));
        // The out-of-distribution gate reads the first view, the photo as it is.
        expect(b.oodScore).toBeCloseTo(plain.oodScore ?? NaN, 4);
      } finally {
        mirrored.dispose();
        both.dispose();
        dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
      }
    }, 120_000);
  });

  describe('diagnose', () => {
    itWithData('should return all seven classes sorted, with probabilities summing to 1', async () => {
      const r = await classifier.diagnose(await goodPhoto());
      expect(r.verdict).toBe('ok');
      expect(r.reasons).toEqual([]);
      expect(r.top.map((t) => t.label).sort()).toEqual([...LESION_LABELS].sort());
      const probs = r.top.map((t) => t.probability);
      expect(probs).toEqual([...probs].sort((a, b) => b - a));
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      for (const p of probs) expect(p).toBeGreaterThanOrEqual(0);
      expect(['urgent', 'soon', 'routine']).toContain(r.risk);
    });

    itWithData('should give the same result for the same bytes', async () => {
      const bytes = await goodPhoto();
      const a = await classifier.diagnose(bytes);
      const b = await classifier.diagnose(bytes);
      expect(b).toEqual(a);
    });

    itWithData('should rank melanoma urgent when its probability passes the operating threshold', async () => {
      const r = await classifier.diagnose(await goodPhoto());
      const mel = r.top.find((t) => t.label === 'mel')?.probability ?? 0;
      if (mel >= classifier.metadata.thresholds.mel || r.top[0].label === 'mel') expect(r.risk).toBe('urgent');
      else expect(r.risk).not.toBe('urgent');
      expect(r.uncertain).toBe(r.top[0].probability < classifier.metadata.thresholds.uncertain);
    });

    itWithData('should classify a batch exactly as one photo at a time', async () => {
      const photos = [await goodPhoto(), Buffer.alloc(0), await goodPhoto()];
      const batch = await classifier.diagnoseBatch(photos);
      const single = await classifier.diagnose(photos[0]);
      expect(batch[1].reasons).toEqual(['empty_file']);
      for (const r of [batch[0], batch[2]]) {
        r.top.forEach((t, i) => {
          expect(t.label).toBe(single.top[i].label);
          expect(t.probability).toBeCloseTo(single.top[i].probability, 4);
        });
      }
    });
  });

  describe('gates', () => {
    const expectRefused = (r: InferenceResult, verdict: 'retake' | 'not_skin', reason: string): void => {
      expect(r.verdict).toBe(verdict);
      expect(r.reasons).toContain(reason);
      expect(r.top).toEqual([]);
      expect(r.risk).toBe('routine');
    };

    it('should refuse zero bytes as empty_file', async () => {
      expectRefused(await classifier.diagnose(Buffer.alloc(0)), 'retake', 'empty_file');
    });

    it('should refuse text bytes as unsupported_format', async () => {
      expectRefused(await classifier.diagnose(Buffer.from('this is not an image, just a text message\n')), 'retake', 'unsupported_format');
    });

    it('should refuse a truncated JPEG as unsupported_format', async () => {
      const jpeg = await S.lesionLike(2);
      expectRefused(await classifier.diagnose(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'retake', 'unsupported_format');
    });

    it('should refuse an image under the minimum short side as too_small', async () => {
      const tiny = await sharp(await S.lesionLike(3)).resize(160, 120).jpeg().toBuffer();
      expectRefused(await classifier.diagnose(tiny), 'retake', 'too_small');
    });

    it('should refuse a PNG decompression bomb as too_many_pixels', async () => {
      expectRefused(await classifier.diagnose(await S.pngBomb(8000)), 'retake', 'too_many_pixels');
    });

    it('should ask to retake a blurry photo', async () => {
      expectRefused(await classifier.diagnose(await S.blurred(await goodPhoto(), 14)), 'retake', 'blurry');
    });

    it('should ask to retake a dark photo', async () => {
      expectRefused(await classifier.diagnose(await S.exposure(await goodPhoto(), 0.12)), 'retake', 'too_dark');
    });

    it('should ask to retake an overexposed photo', async () => {
      expectRefused(await classifier.diagnose(await S.exposure(await goodPhoto(), 1, 140)), 'retake', 'overexposed');
    });

    it.each([
      ['a printed document', () => S.documentPage(4)],
      ['an app screenshot', () => S.screenshot(2)],
      ['a blank grey picture', () => S.solid(128, 128, 128)],
      ['a landscape', () => S.landscape(4)],
      ['a checkerboard', () => S.checkerboard()],
      ['colour noise', () => S.noise(5)],
    ])('should answer not_skin for %s', async (_name, make) => {
      expectRefused(await classifier.diagnose(await make()), 'not_skin', 'not_skin');
    });
  });

  describe('training and serving parity', () => {
    itWithData('should reproduce the training pipeline outputs of the reference validation images', async () => {
      const refs = (classifier.metadata.training as { reference?: { imageId: string; probabilities: number[] }[] }).reference ?? [];
      expect(refs.length).toBeGreaterThan(0);
      const small = await SkinClassifier.load({ modelDir: MODEL_DIR, minShortSide: 150 });
      try {
        const got = await small.analyse(refs.map((r) => hamImage(r.imageId)));
        got.forEach((g, i) => {
          expect(g.probabilities).toBeDefined();
          g.probabilities?.forEach((p, c) => expect(p).toBeCloseTo(refs[i].probabilities[c], 3));
        });
      } finally {
        small.dispose();
      }
    }, 120_000);
  });
});
