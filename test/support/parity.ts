import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LESION_LABELS } from '@/inference/inference.types';
import { readModelMetadata } from '@/inference/model-metadata';
import { OnnxModel } from '@/inference/onnx-model';
import { preprocessImage } from '@/inference/preprocess';

/** `parity.json`, written by ml/dermlink_ml/export.py: PyTorch's outputs for real and synthetic inputs. */
export interface ParityFixture {
  size: number;
  tolerance: number;
  /** `dermoscopic`: a routed graph's router output (exports since 2.3.1). */
  rows: { key: string; logits: number[]; ood: number; dermoscopic?: number }[];
}

/** The deterministic picture of `synthetic_image` in ml/dermlink_ml/export.py (size x size x 3 RGB). */
export function syntheticImage(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      const r = 128 + 90 * Math.sin((x + 3 * seed) / 17) * Math.cos(y / 23);
      const g = 100 + 60 * Math.cos((x + y) / 31 + seed);
      const b = 80 + 50 * Math.sin(y / 11 - seed);
      [r, g, b].forEach((v, c) => (out[o + c] = Math.max(0, Math.min(255, Math.round(v)))));
    }
  }
  return out;
}

/** Dataset folders by the prefix of a fixture key (`ham10000:ISIC_0024306`). */
export type DatasetDirs = Partial<Record<string, string>>;

/**
 * Runs every fixture input through ONNX Runtime (real photos prepared again by sharp here, from
 * `dirs`; rows whose dataset is not there are skipped) and compares with PyTorch's outputs.
 * Throws when any value differs by more than the fixture's tolerance (relative for the OOD score).
 */
export async function checkParity(
  modelDir: string,
  dirs: DatasetDirs,
): Promise<{ rows: number; skipped: string[]; maxDiff: number }> {
  const meta = await readModelMetadata(modelDir);
  const fixture = JSON.parse(readFileSync(path.join(modelDir, 'parity.json'), 'utf8')) as ParityFixture;
  if (fixture.size !== meta.input.size)
    throw new Error(`parity.json is for ${fixture.size} px, the model takes ${meta.input.size}`);
  const model = await OnnxModel.load(path.join(modelDir, meta.onnx.file), {
    size: meta.input.size,
    classes: LESION_LABELS.length,
    threads: 1,
  });
  let maxDiff = 0;
  let rows = 0;
  const skipped: string[] = [];
  const problems: string[] = [];
  try {
    for (const row of fixture.rows) {
      const [source, id] = row.key.split(':');
      let image: Uint8Array;
      if (source === 'synthetic') {
        image = syntheticImage(meta.input.size, Number(id));
      } else {
        const dir = dirs[source];
        const file = dir ? path.join(dir, 'images', `${id}.jpg`) : undefined;
        if (!file || !existsSync(file)) {
          skipped.push(row.key);
          continue;
        }
        const pre = await preprocessImage(readFileSync(file), { size: meta.input.size, minShortSide: 0, maxInputPixels: 40e6 });
        if (!pre.ok) throw new Error(`${row.key}: ${pre.reason}`);
        image = pre.image.rgb;
      }
      const out = await model.run([image]);
      const diffs = [
        ...row.logits.map((v, c) => Math.abs(v - out.logits[0][c])),
        Math.abs(row.ood - out.ood[0]) / Math.max(1, Math.abs(row.ood)),
      ];
      if (row.dermoscopic !== undefined) {
        if (!out.dermoscopic) throw new Error(`${row.key}: parity.json has a dermoscopic value, the graph no such output`);
        diffs.push(Math.abs(row.dermoscopic - out.dermoscopic[0]));
      }
      const worst = Math.max(...diffs);
      maxDiff = Math.max(maxDiff, worst);
      if (worst > fixture.tolerance) problems.push(`${row.key}: differs by ${worst.toExponential(2)}`);
      rows++;
    }
  } finally {
    await model.dispose();
  }
  if (problems.length) throw new Error(`ONNX Runtime and PyTorch disagree beyond ${fixture.tolerance}: ${problems.join('; ')}`);
  return { rows, skipped, maxDiff };
}
