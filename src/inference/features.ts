import { Backbone, BACKBONES, ImageView } from './backbones';

/** A named slice of the concatenated feature vector. */
export interface FeatureBlock {
  name: string;
  offset: number;
  dim: number;
}

/** Backbones in extraction order; the cached vector is their pooled layers concatenated. */
export const FEATURE_BACKBONES = ['resnet50', 'mnv2skin'] as const;
export type FeatureBackbone = (typeof FEATURE_BACKBONES)[number];

/** Channels of each pooled layer. */
const LAYER_DIMS: Record<string, number> = {
  activation_39: 1024,
  activation_48: 2048,
  Conv_1_bn: 1280,
  out_relu: 1280,
};

/** Layout of the vector `keys` give: their pooled layers concatenated, in FEATURE_BACKBONES order. */
export function blockLayout(keys: readonly FeatureBackbone[]): FeatureBlock[] {
  const blocks: FeatureBlock[] = [];
  let offset = 0;
  for (const key of FEATURE_BACKBONES.filter((k) => keys.includes(k))) {
    for (const layer of BACKBONES[key].poolLayers) {
      blocks.push({ name: `${key}/${layer}`, offset, dim: LAYER_DIMS[layer] });
      offset += LAYER_DIMS[layer];
    }
  }
  return blocks;
}

/** The backbones the named blocks come from, in extraction order (a model loads only these). */
export function backbonesFor(names: string[]): FeatureBackbone[] {
  return FEATURE_BACKBONES.filter((k) => names.some((n) => n.startsWith(`${k}/`)));
}

/** Layout of the full cached vector (all pooled layers of all backbones). */
export const FEATURE_BLOCKS: FeatureBlock[] = blockLayout(FEATURE_BACKBONES);

export const FEATURE_DIM = FEATURE_BLOCKS.reduce((s, b) => s + b.dim, 0);

/** Picks the named blocks out of full feature vectors (laid out as `layout`), in the given order. */
export function selectBlocks(full: Float32Array, names: string[], layout: FeatureBlock[] = FEATURE_BLOCKS): Float32Array {
  const blocks = names.map((n) => {
    const b = layout.find((x) => x.name === n);
    if (!b) throw new Error(`unknown feature block ${n}; known: ${layout.map((x) => x.name).join(', ')}`);
    return b;
  });
  const out = new Float32Array(blocks.reduce((s, b) => s + b.dim, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(full.subarray(b.offset, b.offset + b.dim), o);
    o += b.dim;
  }
  return out;
}

/** Frozen backbones together: prepared images in, feature vectors laid out as `blocks` out. */
export class FeatureExtractor {
  private constructor(
    private readonly backbones: Backbone[],
    /** Layout of the vectors `extract` returns. */
    readonly blocks: FeatureBlock[],
  ) {}

  /** Loads `keys` (by default every backbone, as training caches them). */
  static async load(keys: readonly FeatureBackbone[] = FEATURE_BACKBONES): Promise<FeatureExtractor> {
    const list: Backbone[] = [];
    for (const key of FEATURE_BACKBONES.filter((k) => keys.includes(k))) list.push(await Backbone.load(BACKBONES[key]));
    return new FeatureExtractor(list, blockLayout(keys));
  }

  /** One vector per image (layout `blocks`), seen in `view`. */
  async extract(images: Float32Array[], view: ImageView = 'identity'): Promise<Float32Array[]> {
    const perBackbone: Float32Array[] = [];
    for (const b of this.backbones) perBackbone.push(await b.features(images, view));
    const dim = this.blocks.reduce((s, b) => s + b.dim, 0);
    return images.map((_, i) => {
      const out = new Float32Array(dim);
      let o = 0;
      this.backbones.forEach((b, k) => {
        out.set(perBackbone[k].subarray(i * b.dim, (i + 1) * b.dim), o);
        o += b.dim;
      });
      return out;
    });
  }

  dispose(): void {
    for (const b of this.backbones) b.dispose();
  }
}
