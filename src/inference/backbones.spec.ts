import { initBackend, tf } from './backend';
import { Backbone, BACKBONES, IMAGE_VIEWS, ImageView, viewOf } from './backbones';
import { preprocessImage } from './preprocess';
import { lesionLike } from './testing/synthetic';

describe(viewOf.name, () => {
  // A 2x3 picture with one channel, pixel values 1..6 row by row: 1 2 3 / 4 5 6.
  const picture = (): tf.Tensor4D => tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
  const seen = (x: tf.Tensor4D): number[][] => x.arraySync()[0].map((row) => row.map((px) => px[0]));

  beforeAll(async () => {
    await initBackend();
  });

  it.each<[ImageView, number[][]]>([
    [
      'identity',
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      'hflip',
      [
        [3, 2, 1],
        [6, 5, 4],
      ],
    ],
    [
      'vflip',
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ],
    [
      'rot90',
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
    [
      'rot180',
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
    ],
    [
      'rot270',
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ],
  ])('should show the picture in view %s', (view, expected) => {
    expect(seen(viewOf(picture(), view))).toEqual(expected);
  });

  it('should give six different views that are all rearrangements of the same pixels', () => {
    const views = IMAGE_VIEWS.map((v) => seen(viewOf(picture(), v)));
    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(IMAGE_VIEWS.length);
    for (const v of views) expect(v.flat().sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/** Synthetic lesion photos, prepared as served (224x224 RGB rows). */
async function preparedLesions(seeds: number[]): Promise<Float32Array[]> {
  const images: Float32Array[] = [];
  for (const seed of seeds) {
    const r = await preprocessImage(await lesionLike(seed), { minShortSide: 200, maxInputPixels: 40e6 });
    if (!r.ok) throw new Error(r.reason);
    images.push(r.image.rgb);
  }
  return images;
}

describe(Backbone.name, () => {
  describe('features', () => {
    it('should pool one layer several ways: avg as shipped, max above it, std non-negative', async () => {
      await initBackend();
      const images = await preparedLesions([1, 2]);
      const shipped = await Backbone.load(BACKBONES.mnv2skin);
      const pooled = await Backbone.load({
        ...BACKBONES.mnv2skin,
        poolLayers: ['out_relu', 'out_relu', 'out_relu'],
        pools: ['avg', 'max', 'std'],
      });
      try {
        const c = 1280;
        expect(pooled.dim).toBe(3 * c);
        const [a, b] = [await shipped.features(images), await pooled.features(images)];
        for (let i = 0; i < images.length; i++) {
          const avgShipped = a.subarray(i * shipped.dim + c, (i + 1) * shipped.dim); // out_relu follows Conv_1_bn
          const [avg, max, std] = [0, 1, 2].map((k) => b.subarray(i * pooled.dim + k * c, i * pooled.dim + (k + 1) * c));
          for (let j = 0; j < c; j++) {
            expect(avg[j]).toBeCloseTo(avgShipped[j], 5);
            expect(max[j]).toBeGreaterThanOrEqual(avg[j] - 1e-5);
            expect(std[j]).toBeGreaterThanOrEqual(0);
          }
          expect(max.some((m, j) => m > avg[j] + 1e-3)).toBe(true);
          expect(std.some((v, j) => Math.abs(v - avg[j]) > 1e-3)).toBe(true);
        }
      } finally {
        shipped.dispose();
        pooled.dispose();
      }
    });

    it('should name the missing export of a JavaScript bundle', async () => {
      await expect(Backbone.load({ ...BACKBONES.inception, bundle: { kind: 'js', exportName: 'NoSuchModel' } })).rejects.toThrow(
        /models\/inception_v3 exports no NoSuchModel/,
      );
    });

    it('should run a JavaScript-bundled backbone with its own input side (nsfwjs InceptionV3 at 299)', async () => {
      await initBackend();
      const images = await preparedLesions([3, 4]);
      const inception = await Backbone.load({ ...BACKBONES.inception, poolLayers: ['mixed7', 'mixed10'] });
      try {
        expect(inception.dim).toBe(768 + 2048);
        const f = await inception.features(images);
        expect(f).toHaveLength(2 * inception.dim);
        expect(f.every(Number.isFinite)).toBe(true);
        // Pools of ReLU outputs: non-negative, not all zero, and different for different photos.
        expect(f.every((v) => v >= 0)).toBe(true);
        expect(f.some((v) => v > 0.01)).toBe(true);
        const [a, b] = [f.subarray(0, inception.dim), f.subarray(inception.dim)];
        expect(a.some((v, j) => Math.abs(v - b[j]) > 1e-3)).toBe(true);
      } finally {
        inception.dispose();
      }
    });
  });
});
