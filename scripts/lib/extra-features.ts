import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKBONES, BackboneSpec, Pooling } from '@/inference/backbones';
import { FeatureBlock, selectBlocks } from '@/inference/features';

/** Candidate feature blocks for `npm run experiment:layers`: name `<backbone>/<layer>:<pooling>`. */
const CANDIDATES: { key: 'resnet50' | 'mnv2skin'; layer: string; pool: Pooling; dim: number }[] = [
  { key: 'resnet50', layer: 'activation_21', pool: 'avg', dim: 512 }, // end of stage 3 (28x28)
  { key: 'resnet50', layer: 'activation_30', pool: 'avg', dim: 1024 }, // middle of stage 4
  { key: 'resnet50', layer: 'activation_45', pool: 'avg', dim: 2048 }, // before the last block
  { key: 'resnet50', layer: 'activation_39', pool: 'max', dim: 1024 },
  { key: 'resnet50', layer: 'activation_48', pool: 'max', dim: 2048 },
  { key: 'resnet50', layer: 'activation_39', pool: 'std', dim: 1024 },
  { key: 'resnet50', layer: 'activation_48', pool: 'std', dim: 2048 },
  { key: 'mnv2skin', layer: 'block_6_expand_relu', pool: 'avg', dim: 192 },
  { key: 'mnv2skin', layer: 'block_13_expand_relu', pool: 'avg', dim: 576 },
  { key: 'mnv2skin', layer: 'block_16_project_BN', pool: 'avg', dim: 320 },
];

/** One spec per backbone with its candidate layers, in CANDIDATES order. */
export const EXTRA_SPECS: BackboneSpec[] = (['resnet50', 'mnv2skin'] as const).map((key) => {
  const mine = CANDIDATES.filter((c) => c.key === key);
  return { ...BACKBONES[key], poolLayers: mine.map((c) => c.layer), pools: mine.map((c) => c.pool) };
});

export const EXTRA_BLOCKS: FeatureBlock[] = (() => {
  let offset = 0;
  return (['resnet50', 'mnv2skin'] as const).flatMap((key) =>
    CANDIDATES.filter((c) => c.key === key).map((c) => {
      const block = { name: `${key}/${c.layer}:${c.pool}`, offset, dim: c.dim };
      offset += c.dim;
      return block;
    }),
  );
})();

export const EXTRA_DIM = EXTRA_BLOCKS.reduce((s, b) => s + b.dim, 0);

export function extraPath(root: string, imageId: string): string {
  return path.join(root, 'features', 'extra-v1', `${imageId}.bin`);
}

export function hasExtra(root: string, imageId: string): boolean {
  return existsSync(extraPath(root, imageId));
}

/** The named extra blocks of one image, concatenated in the given order. */
export function readExtra(root: string, imageId: string, names: string[]): Float32Array {
  const buf = readFileSync(extraPath(root, imageId));
  return selectBlocks(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), names, EXTRA_BLOCKS);
}
