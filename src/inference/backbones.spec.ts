import { initBackend } from './backend';
import { Backbone, BACKBONES } from './backbones';
import { preprocessImage } from './preprocess';
import { lesionLike } from './testing/synthetic';

describe(Backbone.name, () => {
  describe('features', () => {
    it('should pool one layer several ways: avg as shipped, max above it, std non-negative', async () => {
      await initBackend();
      const images: Float32Array[] = [];
      for (const seed of [1, 2]) {
        const r = await preprocessImage(await lesionLike(seed), { minShortSide: 200, maxInputPixels: 40e6 });
        if (!r.ok) throw new Error(r.reason);
        images.push(r.image.rgb);
      }
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
  });
});
