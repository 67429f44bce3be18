import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackendName, initBackend, tf } from './backend';
import { IMAGE_VIEWS } from './backbones';
import { backbonesFor, FeatureExtractor, selectBlocks } from './features';
import { FeatureStats, loadHead, softmaxT } from './head';
import { GateReason, InferenceResult, LESION_LABELS, LESION_NAMES, Risk } from './inference.types';
import { ModelMetadata } from './model-metadata';
import { PhotoStats, PreparedImage, preprocessImage } from './preprocess';

/** How to load the classifier. */
export interface ClassifierOptions {
  /** Folder holding metadata.json, model.json + weights and stats.bin. */
  modelDir: string;
  /** Shorter image side under which a photo is refused as 'too_small' (default 200). */
  minShortSide?: number;
  /** sharp limitInputPixels: larger images are refused as 'too_many_pixels' (default 40e6). */
  maxInputPixels?: number;
}

/** A result with the internals evaluation and diagnostics need (never tensors). */
export interface DetailedResult {
  result: InferenceResult;
  /** Calibrated probabilities in LESION_LABELS order; absent when the photo never reached the model. */
  probabilities?: number[];
  oodScore?: number;
  stats?: PhotoStats;
}

const FORMAT_REASONS: ReadonlySet<GateReason> = new Set(['empty_file', 'unsupported_format', 'too_small', 'too_many_pixels']);

/**
 * The skin-lesion classifier: photo gates, frozen backbones, the trained head and the calibrated
 * decision rule. Loaded once; `diagnose` never throws for bad image bytes.
 */
export class SkinClassifier {
  readonly model: { name: string; version: string };

  private constructor(
    readonly backend: BackendName,
    readonly metadata: ModelMetadata,
    private readonly extractor: FeatureExtractor,
    private readonly head: tf.LayersModel,
    private readonly stats: FeatureStats,
    private readonly minShortSide: number,
    private readonly maxInputPixels: number,
  ) {
    this.model = { name: metadata.name, version: metadata.version };
  }

  static async load(opts: ClassifierOptions): Promise<SkinClassifier> {
    const backend = await initBackend();
    const meta = JSON.parse(await fs.readFile(path.join(opts.modelDir, 'metadata.json'), 'utf8')) as ModelMetadata;
    if (meta.labels.join() !== LESION_LABELS.join()) {
      throw new Error(`model labels ${meta.labels.join()} differ from ${LESION_LABELS.join()}`);
    }
    const unknownView = meta.testViews?.find((v) => !IMAGE_VIEWS.includes(v));
    if (unknownView !== undefined || meta.testViews?.length === 0) {
      throw new Error(`model testViews must list views out of ${IMAGE_VIEWS.join(', ')}; got ${JSON.stringify(meta.testViews)}`);
    }
    const stats = FeatureStats.fromBuffer(
      await fs.readFile(path.join(opts.modelDir, meta.stats.file)),
      meta.stats.dim,
      meta.stats.pcaDim,
    );
    const head = await loadHead(path.join(opts.modelDir, meta.head.modelJson));
    // Only the backbones the head reads; an unknown block is refused here, not on the first photo.
    const extractor = await FeatureExtractor.load(backbonesFor(meta.featureBlocks));
    const missing = meta.featureBlocks.filter((n) => !extractor.blocks.some((b) => b.name === n));
    if (missing.length) {
      extractor.dispose();
      throw new Error(`model featureBlocks ${missing.join(', ')} are not features this version extracts`);
    }
    return new SkinClassifier(
      backend,
      meta,
      extractor,
      head,
      stats,
      opts.minShortSide ?? 200,
      opts.maxInputPixels ?? 40e6,
    );
  }

  /** Gates and classifies one photo. */
  async diagnose(image: Buffer): Promise<InferenceResult> {
    return (await this.analyse([image]))[0].result;
  }

  /** Gates and classifies several photos, running the networks on them as one batch. */
  async diagnoseBatch(images: Buffer[]): Promise<InferenceResult[]> {
    return (await this.analyse(images)).map((d) => d.result);
  }

  /** Like diagnoseBatch, with probabilities and gate scores kept for evaluation. */
  async analyse(images: Buffer[]): Promise<DetailedResult[]> {
    const out = new Array<DetailedResult>(images.length);
    const ready: { index: number; image: PreparedImage }[] = [];
    for (let i = 0; i < images.length; i++) {
      const pre = await preprocessImage(images[i], { minShortSide: this.minShortSide, maxInputPixels: this.maxInputPixels });
      if (!pre.ok) {
        out[i] = { result: this.rejected(FORMAT_REASONS.has(pre.reason) ? 'retake' : 'not_skin', [pre.reason]) };
        continue;
      }
      const gate = this.photoGate(pre.image.stats);
      if (gate) {
        out[i] = { result: this.rejected(gate.verdict, gate.reasons), stats: pre.image.stats };
        continue;
      }
      ready.push({ index: i, image: pre.image });
    }
    if (!ready.length) return out;
    const views = this.metadata.testViews ?? ['identity'];
    const logits = ready.map(() => new Float32Array(LESION_LABELS.length));
    let z: Float32Array[] = [];
    for (const [v, view] of views.entries()) {
      const feats = await this.extractor.extract(
        ready.map((r) => r.image.rgb),
        view,
      );
      const zView = feats.map((f) => this.stats.standardise(selectBlocks(f, this.metadata.featureBlocks, this.extractor.blocks)));
      if (v === 0) z = zView;
      (await this.predictLogits(zView)).forEach((row, k) => row.forEach((x, c) => (logits[k][c] += x / views.length)));
    }
    ready.forEach((r, k) => {
      const probabilities = softmaxT(logits[k], this.metadata.temperature);
      const oodScore = this.stats.oodScore(z[k]);
      const result =
        oodScore > this.metadata.gates.maxOodScore ? this.rejected('not_skin', ['not_skin']) : this.classified(probabilities);
      out[r.index] = { result, probabilities, oodScore, stats: r.image.stats };
    });
    return out;
  }

  dispose(): void {
    this.extractor.dispose();
    this.head.dispose();
  }

  private async predictLogits(z: Float32Array[]): Promise<Float32Array[]> {
    const d = this.stats.dim;
    const flat = new Float32Array(z.length * d);
    z.forEach((row, i) => flat.set(row, i * d));
    const x = tf.tensor2d(flat, [z.length, d]);
    const y = this.head.predict(x) as tf.Tensor;
    const data = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    const k = LESION_LABELS.length;
    return z.map((_, i) => data.slice(i * k, (i + 1) * k));
  }

  /**
   * Darkness first (a dark photo also looks blurry and colourless); overexposure only when skin
   * colours remain, since white paper and app screens are bright by design; then blank pictures,
   * skin colour and focus.
   */
  private photoGate(s: PhotoStats): { verdict: 'retake' | 'not_skin'; reasons: GateReason[] } | undefined {
    const g = this.metadata.gates;
    if (s.meanLuma < g.minMeanLuma) return { verdict: 'retake', reasons: ['too_dark'] };
    const skinny = s.skinShare >= g.minSkinShare;
    if (s.meanLuma > g.maxMeanLuma || (s.clippedShare > g.maxClippedShare && skinny)) {
      return { verdict: 'retake', reasons: ['overexposed'] };
    }
    if (s.stdLuma < g.minStdLuma || !skinny) return { verdict: 'not_skin', reasons: ['not_skin'] };
    if (s.sharpness < g.minSharpness) return { verdict: 'retake', reasons: ['blurry'] };
    return undefined;
  }

  private rejected(verdict: 'retake' | 'not_skin', reasons: GateReason[]): InferenceResult {
    return { model: { ...this.model }, verdict, reasons, top: [], risk: 'routine', uncertain: false };
  }

  private classified(p: number[]): InferenceResult {
    const idx = (l: (typeof LESION_LABELS)[number]): number => LESION_LABELS.indexOf(l);
    const t = this.metadata.thresholds;
    const top = LESION_LABELS.map((label, i) => ({ label, name: LESION_NAMES[label], probability: p[i] })).sort(
      (a, b) => b.probability - a.probability,
    );
    let risk: Risk = 'routine';
    if (top[0].label === 'bcc' || top[0].label === 'akiec' || p[idx('bcc')] + p[idx('akiec')] >= t.soon) risk = 'soon';
    if (top[0].label === 'mel' || p[idx('mel')] >= t.mel) risk = 'urgent';
    return {
      model: { ...this.model },
      verdict: 'ok',
      reasons: [],
      top,
      risk,
      uncertain: top[0].probability < t.uncertain,
    };
  }
}
