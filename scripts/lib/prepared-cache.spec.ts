import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { preprocessImage, PREPARATION_VERSION } from '@/inference/preprocess';
import * as S from '../../test/support/synthetic';
import { PreparedIndex, prepareImages, STAT_KEYS } from './prepared-cache';

describe('prepareImages', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dermlink-prepared-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should write the serving preparation of every image as rows, with stats, and list the refused ones', async () => {
    const images = path.join(dir, 'images');
    mkdirSync(images);
    writeFileSync(path.join(images, 'b.jpg'), await S.lesionLike(2));
    writeFileSync(path.join(images, 'a.jpg'), await S.lesionLike(1, 300, 200));
    writeFileSync(path.join(images, 'broken.jpg'), Buffer.from('not a jpeg'));
    const indexPath = await prepareImages('set', images, 64, path.join(dir, 'cache'));
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as PreparedIndex;
    expect(index).toMatchObject({
      preparation: PREPARATION_VERSION,
      size: 64,
      ids: ['a', 'b'],
      refused: { broken: 'unsupported_format' },
      statKeys: STAT_KEYS,
    });
    const rows = readFileSync(path.join(dir, 'cache', 'set-64.bin'));
    expect(rows.length).toBe(2 * 64 * 64 * 3);
    const served = await preprocessImage(readFileSync(path.join(images, 'b.jpg')), {
      size: 64,
      minShortSide: 0,
      maxInputPixels: 40e6,
    });
    if (!served.ok) throw new Error(served.reason);
    expect(Buffer.from(rows.subarray(64 * 64 * 3)).equals(Buffer.from(served.image.rgb))).toBe(true);
    expect(index.stats[1][STAT_KEYS.indexOf('meanLuma')]).toBeCloseTo(served.image.stats.meanLuma, 6);

    // The same folder again: the cache is kept, not written again.
    const stamp = statSync(path.join(dir, 'cache', 'set-64.bin')).mtimeMs;
    await prepareImages('set', images, 64, path.join(dir, 'cache'));
    expect(statSync(path.join(dir, 'cache', 'set-64.bin')).mtimeMs).toBe(stamp);
  });
});
