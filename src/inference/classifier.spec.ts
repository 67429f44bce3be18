import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { checkParity } from '../../test/support/parity';
import { SkinClassifier } from './classifier';
import { InferenceResult, LESION_LABELS } from './inference.types';
import { ModelMetadata } from './model-metadata';
import { hamDir, MODEL_DIR, padDir } from '../../test/support/dataset-dir';
import * as S from '../../test/support/synthetic';
import { triage } from './triage';

const HAM = hamDir();
const PAD = padDir();
const itWithData = HAM ? it : it.skip;
const itWithPhones = PAD ? it : it.skip;

function hamImage(id: string): Buffer {
  return readFileSync(path.join(HAM ?? '', 'images', `${id}.jpg`));
}

/** A 600x450 dermoscopy-like photo: a HAM10000 image upscaled 3x, or a synthetic lesion without the dataset. */
async function goodPhoto(id = 'ISIC_0024306'): Promise<Buffer> {
  if (!HAM) return S.lesionLike(1);
  return sharp(hamImage(id)).resize(600, 450).jpeg({ quality: 92 }).toBuffer();
}

/** A copy of the committed model in a temporary folder, `patch` applied to its metadata and `bytes` to its graph. */
function modelWith(patch: Partial<ModelMetadata>, graph?: (bytes: Buffer) => Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dermlink-model-'));
  const meta = JSON.parse(readFileSync(path.join(MODEL_DIR, 'metadata.json'), 'utf8')) as ModelMetadata;
  const file = path.join(dir, meta.onnx.file);
  if (graph) writeFileSync(file, graph(readFileSync(path.join(MODEL_DIR, meta.onnx.file))));
  else copyFileSync(path.join(MODEL_DIR, meta.onnx.file), file);
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ ...meta, ...patch }));
  return dir;
}

async function expectLoadRefused(dir: string, message: RegExp): Promise<void> {
  try {
    await expect(SkinClassifier.load({ modelDir: dir })).rejects.toThrow(message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe(SkinClassifier.name, () => {
  let classifier: SkinClassifier;

  beforeAll(async () => {
    classifier = await SkinClassifier.load({ modelDir: MODEL_DIR });
  }, 60_000);

  afterAll(() => classifier?.dispose());

  describe('load', () => {
    it('should report the runtime and the model identity', () => {
      expect(classifier.backend).toBe('onnxruntime-node (cpu, 1 thread)');
      expect(classifier.model).toEqual({ name: classifier.metadata.name, version: classifier.metadata.version });
      expect(classifier.model.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(classifier.metadata.labels).toEqual([...LESION_LABELS]);
    });

    it('should refuse a model trained on another preparation of the photos', async () => {
      const meta = classifier.metadata;
      await expectLoadRefused(
        modelWith({ input: { ...meta.input, preparation: 'pillow-v1' } }),
        /input.preparation pillow-v1 is not/,
      );
    });

    it('should refuse a model whose labels are not the seven classes in order', async () => {
      await expectLoadRefused(modelWith({ labels: [...LESION_LABELS].reverse() }), /labels .* differ/);
    });

    it('should refuse a graph file that is not the one metadata.json describes', async () => {
      await expectLoadRefused(
        modelWith({}, (bytes) => {
          const copy = Buffer.from(bytes);
          copy[copy.length - 1] ^= 0xff;
          return copy;
        }),
        /sha256 .* differs/,
      );
    });

    it("should refuse a per-kind soon threshold without the graph's dermoscopic output", async () => {
      const meta = classifier.metadata;
      await expectLoadRefused(
        modelWith({
          thresholds: { ...meta.thresholds, soonDermoscopic: 0.02, dermoscopic: 0.5 },
          onnx: { ...meta.onnx, outputs: ['logits', 'ood'] },
        }),
        /needs the graph output 'dermoscopic'/,
      );
      await expectLoadRefused(
        modelWith({ thresholds: { ...meta.thresholds, soonDermoscopic: 2, dermoscopic: 0.5 } }),
        /thresholds.soonDermoscopic is not a probability/,
      );
    });

    it('should list every missing threshold at once', async () => {
      const { mel: _mel, ...thresholds } = classifier.metadata.thresholds;
      const { maxOodScore: _ood, ...gates } = classifier.metadata.gates;
      await expectLoadRefused(
        modelWith({ thresholds: thresholds as ModelMetadata['thresholds'], gates: gates as ModelMetadata['gates'] }),
        /thresholds.mel is missing; gates.maxOodScore is missing/,
      );
    });
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
    });

    itWithData('should give the same result for the same bytes', async () => {
      const bytes = await goodPhoto();
      expect(await classifier.diagnose(bytes)).toEqual(await classifier.diagnose(bytes));
    });

    itWithData('should decide risk and uncertainty by the metadata thresholds and the OOD score', async () => {
      const ids = ['ISIC_0024306', 'ISIC_0024310', 'ISIC_0024315', 'ISIC_0024320'];
      const results = await classifier.analyse(await Promise.all(ids.map((id) => goodPhoto(id))));
      for (const d of results) {
        expect(d.probabilities).toHaveLength(7);
        expect(d.result.verdict).toBe('ok');
        const unfamiliar = (d.oodScore ?? 0) > classifier.metadata.gates.uncertainOodScore;
        const expected = triage(d.probabilities ?? [], classifier.metadata.thresholds, unfamiliar, d.dermoscopic);
        expect({ risk: d.result.risk, uncertain: d.result.uncertain }).toEqual(expected);
      }
    });

    itWithData("should tell dermoscopic photos from phone photos by the graph's router", async () => {
      // The committed model is routed: HAM10000 photos get the dermoscopic 'soon' threshold, PAD phone photos the other.
      expect(classifier.metadata.thresholds.soonDermoscopic).toBeLessThanOrEqual(classifier.metadata.thresholds.soon);
      const ham = await classifier.analyse(
        await Promise.all(['ISIC_0024306', 'ISIC_0024310', 'ISIC_0024315'].map((id) => goodPhoto(id))),
      );
      for (const d of ham) expect(d.dermoscopic).toBeGreaterThanOrEqual(classifier.metadata.thresholds.dermoscopic ?? 0.5);
      if (!PAD) return;
      const ids = readFileSync(path.join(PAD, 'metadata.csv'), 'utf8')
        .split('\n')
        .slice(1, 9)
        .map((l) => l.split(',')[0]);
      const phone = await classifier.analyse(ids.map((id) => readFileSync(path.join(PAD, 'images', `${id}.jpg`))));
      const called = phone.filter((d) => d.dermoscopic !== undefined);
      expect(called.length).toBeGreaterThanOrEqual(7);
      expect(
        called.filter((d) => (d.dermoscopic ?? 1) < (classifier.metadata.thresholds.dermoscopic ?? 0.5)).length,
      ).toBeGreaterThanOrEqual(called.length - 1);
    });

    itWithData('should classify a batch exactly as one photo at a time', async () => {
      const photos = [await goodPhoto(), Buffer.alloc(0), await goodPhoto('ISIC_0024310')];
      const batch = await classifier.diagnoseBatch(photos);
      expect(batch[1].reasons).toEqual(['empty_file']);
      for (const [i, r] of [batch[0], batch[2]].entries()) {
        const single = await classifier.diagnose(photos[i * 2]);
        r.top.forEach((t, k) => {
          expect(t.label).toBe(single.top[k].label);
          expect(t.probability).toBeCloseTo(single.top[k].probability, 5);
        });
      }
    });

    itWithPhones('should classify real phone photos rather than refuse them', async () => {
      const ids = readFileSync(path.join(PAD ?? '', 'metadata.csv'), 'utf8')
        .split('\n')
        .slice(1, 9)
        .map((l) => l.split(',')[0]);
      const results = await classifier.diagnoseBatch(ids.map((id) => readFileSync(path.join(PAD ?? '', 'images', `${id}.jpg`))));
      expect(results.filter((r) => r.verdict === 'ok').length).toBeGreaterThanOrEqual(7);
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
      expectRefused(
        await classifier.diagnose(Buffer.from('this is not an image, just a text message\n')),
        'retake',
        'unsupported_format',
      );
    });

    it('should refuse a truncated JPEG as unsupported_format', async () => {
      const jpeg = await S.lesionLike(2);
      expectRefused(await classifier.diagnose(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'retake', 'unsupported_format');
    });

    it('should refuse an image under the minimum short side as too_small', async () => {
      const tiny = await sharp(await S.lesionLike(3))
        .resize(160, 120)
        .jpeg()
        .toBuffer();
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

  describe('ONNX Runtime and PyTorch parity', () => {
    it('should give PyTorch outputs within the fixture tolerance on real and synthetic photos', async () => {
      const report = await checkParity(MODEL_DIR, {
        ham10000: HAM,
        'pad-ufes-20-dev': PAD,
      });
      const fixture = JSON.parse(readFileSync(path.join(MODEL_DIR, 'parity.json'), 'utf8')) as {
        tolerance: number;
        rows: unknown[];
      };
      expect(fixture.tolerance).toBeLessThanOrEqual(1e-4);
      expect(report.rows + report.skipped.length).toBe(fixture.rows.length);
      // Without ../shared only the synthetic rows run; with it, every row does.
      expect(report.rows).toBeGreaterThanOrEqual(HAM && PAD ? fixture.rows.length : 2);
      expect(report.maxDiff).toBeLessThanOrEqual(fixture.tolerance);
    }, 60_000);
  });
});
