import { tf } from './backend';
import { fileHandler } from './model-io';

/**
 * Feature statistics shipped in stats.bin: standardisation and a PCA subspace for the
 * out-of-distribution score. Layout (float32): mean[d], std[d], basis[k*d] (row-major, k rows),
 * precision[k*k] (inverse covariance of the projections), residualScale[1].
 */
export class FeatureStats {
  constructor(
    readonly dim: number,
    readonly pcaDim: number,
    readonly mean: Float32Array,
    readonly std: Float32Array,
    readonly basis: Float32Array,
    readonly precision: Float32Array,
    readonly residualScale: number,
  ) {}

  static fromBuffer(buf: Buffer, dim: number, pcaDim: number): FeatureStats {
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const need = 2 * dim + pcaDim * dim + pcaDim * pcaDim + 1;
    if (all.length !== need) throw new Error(`stats.bin has ${all.length} floats, expected ${need}`);
    let o = 0;
    const take = (n: number): Float32Array => all.slice(o, (o += n));
    return new FeatureStats(dim, pcaDim, take(dim), take(dim), take(pcaDim * dim), take(pcaDim * pcaDim), all[o]);
  }

  toBuffer(): Buffer {
    const all = new Float32Array(2 * this.dim + this.pcaDim * this.dim + this.pcaDim * this.pcaDim + 1);
    let o = 0;
    for (const a of [this.mean, this.std, this.basis, this.precision]) {
      all.set(a, o);
      o += a.length;
    }
    all[o] = this.residualScale;
    return Buffer.from(all.buffer);
  }

  standardise(x: Float32Array): Float32Array {
    const z = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) z[i] = (x[i] - this.mean[i]) / this.std[i];
    return z;
  }

  /**
   * Out-of-distribution score of a standardised vector: squared Mahalanobis distance in the PCA
   * subspace per dimension, plus the residual energy outside it relative to training data. About 2
   * for training images; photos unlike dermoscopy score far higher.
   */
  oodScore(z: Float32Array): number {
    const k = this.pcaDim;
    const proj = new Float64Array(k);
    let total = 0;
    for (let i = 0; i < this.dim; i++) total += z[i] * z[i];
    let inSpace = 0;
    for (let r = 0; r < k; r++) {
      let s = 0;
      const row = r * this.dim;
      for (let i = 0; i < this.dim; i++) s += this.basis[row + i] * z[i];
      proj[r] = s;
      inSpace += s * s;
    }
    let maha = 0;
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += this.precision[r * k + c] * proj[c];
      maha += proj[r] * s;
    }
    const residual = Math.max(0, total - inSpace);
    return maha / k + residual / this.residualScale;
  }
}

/** Loads the exported head (an ensemble averaged into one LayersModel that outputs logits). */
export async function loadHead(modelJsonPath: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileHandler(modelJsonPath));
}

/** Softmax of logits / temperature, in float64 for stable sums. */
export function softmaxT(logits: ArrayLike<number>, temperature: number): number[] {
  const z = Array.from(logits, (v) => v / temperature);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
