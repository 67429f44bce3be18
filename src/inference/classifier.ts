import * as path from 'node:path';
import { GateReason, InferenceResult, LESION_LABELS, LESION_NAMES } from './inference.types';
import { ModelMetadata, readModelMetadata } from './model-metadata';
import { OnnxModel } from './onnx-model';
import { PhotoStats, PreparedImage, preprocessImage } from './preprocess';
import { softmaxT, triage } from './triage';

/** How to load the classifier. */
export interface ClassifierOptions {
  /** Folder holding metadata.json and the ONNX graph it names. */
  modelDir: string;
  /** Shorter image side under which a photo is refused as 'too_small' (default 200). */
  minShortSide?: number;
  /** sharp limitInputPixels: larger images are refused as 'too_many_pixels' (default 40e6). */
  maxInputPixels?: number;
  /** ONNX Runtime intra-op threads (default 1: one core per classifier process). */
  threads?: number;
}

/** A result with the internals evaluation and diagnostics need (never tensors). */
export interface DetailedResult {
  result: InferenceResult;
  /** Calibrated probabilities in LESION_LABELS order; absent when the photo never reached the model. */
  probabilities?: number[];
  oodScore?: number;
  /** A routed model's p(dermoscopic): which `soon` threshold the photo had. */
  dermoscopic?: number;
  stats?: PhotoStats;
}

const FORMAT_REASONS: ReadonlySet<GateReason> = new Set(['empty_file', 'unsupported_format', 'too_small', 'too_many_pixels']);

/**
 * The skin-lesion classifier: photo gates, the fine-tuned ensemble on ONNX Runtime, and the
 * calibrated decision rule. Loaded once; `diagnose` never throws for bad image bytes.
 */
export class SkinClassifier {
  readonly model: { name: string; version: string };
  readonly backend: string;

  private constructor(
    readonly metadata: ModelMetadata,
    private readonly graph: OnnxModel,
    private readonly minShortSide: number,
    private readonly maxInputPixels: number,
    threads: number,
  ) {
    this.model = { name: metadata.name, version: metadata.version };
    this.backend = `onnxruntime-node (cpu, ${threads} thread${threads === 1 ? '' : 's'})`;
  }

  static async load(opts: ClassifierOptions): Promise<SkinClassifier> {
    const meta = await readModelMetadata(opts.modelDir);
    const threads = opts.threads ?? 1;
    const graph = await OnnxModel.load(path.join(opts.modelDir, meta.onnx.file), {
      size: meta.input.size,
      classes: LESION_LABELS.length,
      threads,
      sha256: meta.onnx.sha256,
      outputs: meta.onnx.outputs,
    });
    return new SkinClassifier(meta, graph, opts.minShortSide ?? 200, opts.maxInputPixels ?? 40e6, threads);
  }

  /** Gates and classifies one photo. */
  async diagnose(image: Buffer): Promise<InferenceResult> {
    return (await this.analyse([image]))[0].result;
  }

  /** Gates and classifies several photos, running the network on them as one batch. */
  async diagnoseBatch(images: Buffer[]): Promise<InferenceResult[]> {
    return (await this.analyse(images)).map((d) => d.result);
  }

  /** Like diagnoseBatch, with probabilities and gate scores kept for evaluation. */
  async analyse(images: Buffer[]): Promise<DetailedResult[]> {
    const out = new Array<DetailedResult>(images.length);
    const ready: { index: number; image: PreparedImage }[] = [];
    for (let i = 0; i < images.length; i++) {
      const pre = await preprocessImage(images[i], {
        size: this.metadata.input.size,
        minShortSide: this.minShortSide,
        maxInputPixels: this.maxInputPixels,
      });
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
    const { logits, ood, dermoscopic: router } = await this.graph.run(ready.map((r) => r.image.rgb));
    const g = this.metadata.gates;
    ready.forEach((r, k) => {
      const probabilities = softmaxT(logits[k], this.metadata.temperature);
      const oodScore = ood[k];
      const dermoscopic = router?.[k];
      const result =
        oodScore > g.maxOodScore
          ? this.rejected('not_skin', ['not_skin'])
          : this.classified(probabilities, oodScore > g.uncertainOodScore, dermoscopic);
      out[r.index] = { result, probabilities, oodScore, dermoscopic, stats: r.image.stats };
    });
    return out;
  }

  async dispose(): Promise<void> {
    await this.graph.dispose();
  }

  /**
   * Darkness first (a dark photo also looks blurry and colourless); overexposure only when skin
   * colours remain, since white paper and app screens are bright by design; then blank pictures,
   * skin colour, pixel noise and focus.
   */
  private photoGate(s: PhotoStats): { verdict: 'retake' | 'not_skin'; reasons: GateReason[] } | undefined {
    const g = this.metadata.gates;
    if (s.meanLuma < g.minMeanLuma) return { verdict: 'retake', reasons: ['too_dark'] };
    const skinny = s.skinShare >= g.minSkinShare;
    if (s.meanLuma > g.maxMeanLuma || (s.clippedShare > g.maxClippedShare && skinny)) {
      return { verdict: 'retake', reasons: ['overexposed'] };
    }
    if (s.stdLuma < g.minStdLuma || !skinny || s.sharpness > g.maxSharpness)
      return { verdict: 'not_skin', reasons: ['not_skin'] };
    if (s.sharpness < g.minSharpness) return { verdict: 'retake', reasons: ['blurry'] };
    return undefined;
  }

  private rejected(verdict: 'retake' | 'not_skin', reasons: GateReason[]): InferenceResult {
    return { model: { ...this.model }, verdict, reasons, top: [], risk: 'routine', uncertain: false };
  }

  private classified(p: number[], unfamiliar: boolean, dermoscopic: number | undefined): InferenceResult {
    const top = LESION_LABELS.map((label, i) => ({ label, name: LESION_NAMES[label], probability: p[i] })).sort(
      (a, b) => b.probability - a.probability,
    );
    return {
      model: { ...this.model },
      verdict: 'ok',
      reasons: [],
      top,
      ...triage(p, this.metadata.thresholds, unfamiliar, dermoscopic),
    };
  }
}
