import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKBONES, BackboneSpec, Pooling } from '@/inference/backbones';
import { FeatureBlock, selectBlocks } from '@/inference/features';
import { CacheVariant, readCached } from './feature-cache';

interface Candidate {
  key: string;
  layer: string;
  pool: Pooling;
  dim: number;
}

/**
 * Candidate feature blocks for `npm run experiment:layers`, by set; a block is named
 * `<backbone>/<layer>:<pooling>`. Each set has its own cache folder `extra-<set>`.
 */
const SETS: Record<string, Candidate[]> = {
  // Other layers and poolings of the two shipped backbones.
  v1: [
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
  ],
  // The third candidate backbone the issue names: nsfwjs's InceptionV3 at 299x299.
  nsfw: [
    { key: 'inception', layer: 'mixed4', pool: 'avg', dim: 768 }, // 17x17, middle of the network
    { key: 'inception', layer: 'mixed7', pool: 'avg', dim: 768 }, // 17x17, end of the 17x17 stage
    { key: 'inception', layer: 'mixed9', pool: 'avg', dim: 2048 }, // 8x8
    { key: 'inception', layer: 'mixed10', pool: 'avg', dim: 2048 }, // 8x8, the top
  ],
};

export const EXTRA_SET_NAMES = Object.keys(SETS);

/** A set of extra candidates: the backbones to run and the layout of its cached vector. */
export interface ExtraSet {
  name: string;
  specs: BackboneSpec[];
  blocks: FeatureBlock[];
  dim: number;
}

export function extraSet(name: string): ExtraSet {
  const candidates = SETS[name];
  if (!candidates) throw new Error(`unknown extra feature set ${name}; known: ${EXTRA_SET_NAMES.join(', ')}`);
  const keys = [...new Set(candidates.map((c) => c.key))];
  const specs = keys.map((key) => {
    const mine = candidates.filter((c) => c.key === key);
    return { ...BACKBONES[key], poolLayers: mine.map((c) => c.layer), pools: mine.map((c) => c.pool) };
  });
  let offset = 0;
  const blocks = keys.flatMap((key) =>
    candidates
      .filter((c) => c.key === key)
      .map((c) => {
        const block = { name: `${key}/${c.layer}:${c.pool}`, offset, dim: c.dim };
        offset += c.dim;
        return block;
      }),
  );
  return { name, specs, blocks, dim: offset };
}

const ALL_SETS = EXTRA_SET_NAMES.map(extraSet);

export function extraPath(root: string, set: string, imageId: string): string {
  return path.join(root, 'features', `extra-${set}`, `${imageId}.bin`);
}

export function hasExtra(root: string, set: string, imageId: string): boolean {
  return existsSync(extraPath(root, set, imageId));
}

/** The named extra blocks of one image, from whichever sets hold them, concatenated in the given order. */
export function readExtra(root: string, imageId: string, names: string[]): Float32Array {
  const vectors = new Map<string, Float32Array>(); // each set's file is read once
  const parts = names.map((n) => {
    const set = ALL_SETS.find((s) => s.blocks.some((b) => b.name === n));
    if (!set) throw new Error(`unknown extra feature block ${n}`);
    let vector = vectors.get(set.name);
    if (!vector) {
      const buf = readFileSync(extraPath(root, set.name, imageId));
      vector = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      vectors.set(set.name, vector);
    }
    return selectBlocks(vector, [n], set.blocks);
  });
  return concatVectors(parts);
}

/** The vectors one after the other, in one new vector. */
export function concatVectors(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * One image's feature row for the head experiments: the named blocks (`--blocks`) of its cached
 * features in `variant`, then the named extra blocks (`--extra`, cached for the photo as it is).
 */
export function experimentRow(
  root: string,
  imageId: string,
  variant: CacheVariant,
  blocks: string[],
  extra: string[],
): Float32Array {
  const cached = selectBlocks(readCached(root, imageId, variant).features, blocks);
  return extra.length ? concatVectors([cached, readExtra(root, imageId, extra)]) : cached;
}
