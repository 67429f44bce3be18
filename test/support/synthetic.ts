import sharp from 'sharp';

/**
 * Synthetic photos drawn with sharp for the gate tests and the not-skin measurement.
 * Deterministic: the same arguments give the same bytes.
 */

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

/** Deterministic pseudo-noise in [-1, 1]. */
function hashNoise(x: number, y: number, seed: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 2147483647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) & 0xffff) / 32767.5 - 1;
}

function rawJpeg(w: number, h: number, fn: (x: number, y: number) => [number, number, number], quality = 90): Promise<Buffer> {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = fn(x, y);
      const o = (y * w + x) * 3;
      px[o] = clamp(r);
      px[o + 1] = clamp(g);
      px[o + 2] = clamp(b);
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/** A lesion-like photo: a textured brown blob on pink-beige skin with a little grain. */
export function lesionLike(seed = 1, w = 600, h = 450): Promise<Buffer> {
  return rawJpeg(w, h, (x, y) => {
    const wobble = 0.12 * Math.sin(Math.atan2(y - h / 2, x - w / 2) * 5 + seed);
    const d = Math.hypot((x - w / 2) / (w * 0.22), (y - h / 2) / (h * 0.24)) + wobble;
    const n = 14 * hashNoise(x, y, seed) + 10 * hashNoise(x >> 3, y >> 3, seed + 7);
    if (d < 1) {
      const t = Math.max(0, 1 - d);
      return [130 - 60 * t + n, 85 - 45 * t + n, 65 - 35 * t + n];
    }
    return [222 + n, 168 + n, 150 + n];
  });
}

export function solid(r: number, g: number, b: number, w = 640, h = 480): Promise<Buffer> {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

export function gradient(
  w = 640,
  h = 480,
  from: [number, number, number] = [20, 60, 200],
  to: [number, number, number] = [250, 220, 40],
): Promise<Buffer> {
  return rawJpeg(w, h, (x, y) => {
    const t = (x / w + y / h) / 2;
    return [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t, from[2] + (to[2] - from[2]) * t];
  });
}

export function noise(seed = 3, w = 640, h = 480, colour = true): Promise<Buffer> {
  return rawJpeg(w, h, (x, y) => {
    const g = 128 + 127 * hashNoise(x, y, seed);
    return colour ? [128 + 127 * hashNoise(x, y, seed + 1), g, 128 + 127 * hashNoise(x, y, seed + 2)] : [g, g, g];
  });
}

function svg(w: number, h: number, body: string): Promise<Buffer> {
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`))
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A printed page: black text lines (drawn as glyph-like bars and real text) on white. */
export function documentPage(seed = 1, w = 850, h = 1100): Promise<Buffer> {
  let body = `<rect width="${w}" height="${h}" fill="#fdfdfb"/>`;
  body += `<text x="60" y="90" font-family="sans-serif" font-size="36" fill="#111">Invoice ${seed} - Lorem ipsum</text>`;
  for (let line = 0; line < 40; line++) {
    let x = 60;
    const y = 140 + line * 23;
    while (x < w - 80) {
      const wordW = 20 + Math.abs(hashNoise(line, x, seed)) * 70;
      body += `<rect x="${x.toFixed(0)}" y="${y}" width="${wordW.toFixed(0)}" height="11" fill="#222"/>`;
      x += wordW + 12;
    }
  }
  return svg(w, h, body);
}

/** A screenshot-like UI: title bar, sidebar, buttons, cards and text bars in flat colours. */
export function screenshot(seed = 1, w = 1280, h = 800): Promise<Buffer> {
  const accent = ['#1a73e8', '#34a853', '#9c27b0', '#e91e63'][seed % 4];
  let body = `<rect width="${w}" height="${h}" fill="#f3f4f6"/><rect width="${w}" height="56" fill="${accent}"/>`;
  body += `<rect y="56" width="240" height="${h - 56}" fill="#ffffff"/>`;
  for (let i = 0; i < 8; i++)
    body += `<rect x="24" y="${90 + i * 48}" width="${150 + (i % 3) * 20}" height="14" rx="4" fill="#9aa0a6"/>`;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      const x = 280 + c * 320;
      const y = 96 + r * 230;
      body += `<rect x="${x}" y="${y}" width="290" height="200" rx="10" fill="#ffffff" stroke="#dadce0"/>`;
      body += `<rect x="${x + 20}" y="${y + 24}" width="200" height="16" fill="#3c4043"/>`;
      body += `<rect x="${x + 20}" y="${y + 56}" width="240" height="10" fill="#80868b"/><rect x="${x + 20}" y="${y + 76}" width="220" height="10" fill="#80868b"/>`;
      body += `<rect x="${x + 20}" y="${y + 140}" width="96" height="36" rx="6" fill="${accent}"/>`;
    }
  }
  return svg(w, h, body);
}

/** A checkerboard pattern. */
export function checkerboard(w = 640, h = 480, cell = 40): Promise<Buffer> {
  return rawJpeg(w, h, (x, y) => ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? [240, 240, 240] : [20, 20, 20]));
}

/** A landscape-like picture: sky gradient, green hills, a sun. */
export function landscape(seed = 1, w = 800, h = 600): Promise<Buffer> {
  return rawJpeg(w, h, (x, y) => {
    const hill = h * 0.55 + 40 * Math.sin(x / 90 + seed) + 25 * Math.sin(x / 37);
    const n = 10 * hashNoise(x, y, seed);
    if (Math.hypot(x - w * 0.75, y - h * 0.2) < 40) return [255, 230, 120];
    if (y < hill) return [90 + (y / h) * 100 + n, 150 + (y / h) * 60 + n, 235 + n];
    return [50 + n, 130 + 30 * hashNoise(x >> 2, y >> 2, seed) + n, 45 + n];
  });
}

/** The same photo blurred hard (a shaken or out-of-focus shot). */
export function blurred(photo: Buffer, sigma = 12): Promise<Buffer> {
  return sharp(photo).blur(sigma).jpeg({ quality: 90 }).toBuffer();
}

/** The same photo with brightness scaled (0.1 = badly under-exposed). */
export function exposure(photo: Buffer, gain: number, offset = 0): Promise<Buffer> {
  return sharp(photo).linear(gain, offset).jpeg({ quality: 90 }).toBuffer();
}

/**
 * A PNG whose header claims `side` x `side` pixels but whose zlib stream is tiny: a decompression
 * bomb. Built from a real deflate stream of an all-zero image, so decoders see a valid file.
 */
export async function pngBomb(side = 8000): Promise<Buffer> {
  const { deflateSync, crc32 } = await import('node:zlib');
  // side x side greyscale zeros (each row: filter byte 0 + pixels) compress about 1000:1.
  const idat = deflateSync(Buffer.alloc((side + 1) * side), { level: 9 });
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
