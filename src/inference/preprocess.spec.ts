import sharp from 'sharp';
import { INPUT_SIZE, preprocessImage, shadesOfGrey } from './preprocess';
import * as S from './testing/synthetic';

const OPTS = { minShortSide: 200, maxInputPixels: 40e6 };

describe('preprocessImage', () => {
  it('should produce INPUT_SIZE x INPUT_SIZE x 3 values in 0..255', async () => {
    const r = await preprocessImage(await S.lesionLike(1), OPTS);
    if (!r.ok) throw new Error(r.reason);
    expect(r.image.rgb.length).toBe(INPUT_SIZE * INPUT_SIZE * 3);
    expect(r.image.rgb.reduce((m, v) => Math.min(m, v), 255)).toBeGreaterThanOrEqual(0);
    expect(r.image.rgb.reduce((m, v) => Math.max(m, v), 0)).toBeLessThanOrEqual(255);
  });

  it('should apply EXIF orientation before cropping', async () => {
    const base = await S.lesionLike(2, 400, 300);
    const upright = await sharp(base).rotate(90).jpeg({ quality: 95 }).toBuffer();
    const tagged = await sharp(base).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const a = await preprocessImage(upright, OPTS);
    const b = await preprocessImage(tagged, OPTS);
    if (!a.ok || !b.ok) throw new Error('decode failed');
    let diff = 0;
    for (let i = 0; i < a.image.rgb.length; i++) diff += Math.abs(a.image.rgb[i] - b.image.rgb[i]);
    expect(diff / a.image.rgb.length).toBeLessThan(4);
  });

  it('should use the rotated size for the size gate', async () => {
    const tagged = await sharp(await S.lesionLike(3, 400, 180)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await preprocessImage(tagged, OPTS);
    expect(r.ok ? 'ok' : r.reason).toBe('too_small');
  });

  it('should flatten transparency onto white', async () => {
    const rgba = await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const r = await preprocessImage(rgba, OPTS);
    if (!r.ok) throw new Error(r.reason);
    expect(r.image.stats.meanLuma).toBeGreaterThan(250);
  });

  it('should be deterministic', async () => {
    const bytes = await S.lesionLike(4);
    const a = await preprocessImage(bytes, OPTS);
    const b = await preprocessImage(bytes, OPTS);
    expect(a).toEqual(b);
  });

  it('should report the pixel limit before decoding', async () => {
    const r = await preprocessImage(await S.pngBomb(8000), OPTS);
    expect(r.ok ? 'ok' : r.reason).toBe('too_many_pixels');
  });
});

describe('shadesOfGrey', () => {
  it('should equalise the channel Minkowski norms', () => {
    const rgb = new Uint8Array(300);
    for (let i = 0; i < 300; i += 3) {
      rgb[i] = 200;
      rgb[i + 1] = 100 + (i % 7);
      rgb[i + 2] = 50;
    }
    const out = shadesOfGrey(rgb);
    const norm = (c: number): number => {
      let s = 0;
      for (let i = c; i < out.length; i += 3) s += out[i] ** 6;
      return Math.pow(s / 100, 1 / 6);
    };
    expect(norm(0)).toBeCloseTo(norm(2), 0);
    expect(norm(1)).toBeCloseTo(norm(2), 0);
  });
});
