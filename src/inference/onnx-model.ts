import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as ort from 'onnxruntime-node';

/**
 * What the graph gives for a batch: logits (one row of `classes` per photo), the OOD score and,
 * from a routed graph, the router's p(dermoscopic) per photo.
 */
export interface GraphOutput {
  logits: Float32Array[];
  ood: number[];
  dermoscopic?: number[];
}

/**
 * The exported network on ONNX Runtime (CPU). The only file that imports onnxruntime-node: tensors
 * never leave it. Input `image` is N x size x size x 3 float32 RGB 0..255; outputs `logits`, `ood`
 * and, where the graph has it, `dermoscopic`.
 */
export class OnnxModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly size: number,
    readonly classes: number,
  ) {}

  /**
   * Loads the graph once. `sha256`, when given, must match the file (a model folder with a stale or
   * damaged model.onnx is refused rather than served). `threads`: ONNX Runtime's intra-op threads.
   * `outputs`: outputs the graph must have besides `logits` and `ood` (metadata.json's list).
   */
  static async load(
    file: string,
    opts: { size: number; classes: number; threads: number; sha256?: string; outputs?: string[] },
  ): Promise<OnnxModel> {
    const bytes = await fs.readFile(file);
    if (opts.sha256) {
      const got = createHash('sha256').update(bytes).digest('hex');
      if (got !== opts.sha256) throw new Error(`${file}: sha256 ${got} differs from metadata.json's ${opts.sha256}`);
    }
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: opts.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Measured with model 2.1.0, 200 photos one after another (the service's pattern): without
      // the arena, each run mallocs and frees its activations, glibc raises its mmap threshold and
      // the heap grows to 1.27 GB resident; with the arena and without memory patterns (a planned
      // block per input shape) it stays at 240 MB, and a photo is faster (p50 35 ms, not 43).
      enableCpuMemArena: true,
      enableMemPattern: false,
    });
    for (const name of new Set(['logits', 'ood', ...(opts.outputs ?? [])])) {
      if (!session.outputNames.includes(name))
        throw new Error(`${file}: the graph has no output '${name}' (it has ${session.outputNames.join(', ')})`);
    }
    if (!session.inputNames.includes('image')) throw new Error(`${file}: the graph has no input 'image'`);
    return new OnnxModel(session, opts.size, opts.classes);
  }

  /** Runs prepared photos (size x size x 3 RGB rows, 0..255) as one batch. */
  async run(images: Uint8Array[]): Promise<GraphOutput> {
    const pixels = this.size * this.size * 3;
    const flat = new Float32Array(images.length * pixels);
    images.forEach((img, i) => {
      if (img.length !== pixels) throw new Error(`prepared image ${i} has ${img.length} values, expected ${pixels}`);
      flat.set(img, i * pixels);
    });
    const input = new ort.Tensor('float32', flat, [images.length, this.size, this.size, 3]);
    const out = await this.session.run({ image: input });
    const logits = out.logits.data as Float32Array;
    const k = this.classes;
    const result: GraphOutput = {
      logits: images.map((_, i) => logits.slice(i * k, (i + 1) * k)),
      ood: Array.from(out.ood.data as Float32Array),
    };
    if (out.dermoscopic) result.dermoscopic = Array.from(out.dermoscopic.data as Float32Array);
    input.dispose();
    for (const tensor of Object.values(out)) tensor.dispose();
    return result;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
