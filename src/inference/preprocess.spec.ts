import sharp from 'sharp';
import { preprocessImage } from './preprocess';
import * as S from '../../test/support/synthetic';

const SIZE = 192;
const OPTS = { size: SIZE, minShortSide: 200, maxInputPixels: 40e6 };

describe('preprocessImage', () => {
  it('should produce size x size x 3 bytes of RGB', async () => {
    const r = await preprocessImage(await S.lesionLike(1), OPTS);
    if (!r.ok) throw new Error(r.reason);
    expect(r.image.rgb).toBeInstanceOf(Uint8Array);
    expect(r.image.rgb.length).toBe(SIZE * SIZE * 3);
    expect(r.image.size).toBe(SIZE);
    const other = await preprocessImage(await S.lesionLike(1), { ...OPTS, size: 96 });
    expect(other.ok && other.image.rgb.length).toBe(96 * 96 * 3);
  });

  it('should crop the centre square of a wide photo (what the network is trained on)', async () => {
    // Left third red, middle third green, right third blue: the centre crop keeps mostly green.
    const w = 600;
    const h = 200;
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[(y * w + x) * 3 + Math.floor((3 * x) / w)] = 255;
    const png = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer();
    const r = await preprocessImage(png, OPTS);
    if (!r.ok) throw new Error(r.reason);
    const mean = [0, 1, 2].map((c) => r.image.rgb.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (SIZE * SIZE));
    expect(mean[1]).toBeGreaterThan(250);
    expect(mean[0] + mean[2]).toBeLessThan(5);
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
    const tagged = await sharp(await S.lesionLike(3, 400, 180))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
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
