import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@/config/app-config';
import { PhotoKeyError } from './photo-cipher';
import { PhotoStore } from './photo-store.service';

describe(PhotoStore.name, () => {
  const dataDir = () => fsTemp();
  const photo = randomBytes(5000);

  it('should store photos with random names under DATA_DIR/photos, readable only by the service', async () => {
    const dir = await dataDir();
    const store = new PhotoStore(loadConfig({ DATA_DIR: dir }));
    const name = await store.save(photo);
    expect(name).toMatch(/^[a-f0-9]{32}\.bin$/);
    const file = path.join(dir, 'photos', name);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(file)).toEqual(photo);
    expect(await store.read(name)).toEqual(photo);
    await store.remove(name);
    await expect(fs.stat(file)).rejects.toThrow();
  });

  it('should encrypt at rest with PHOTO_ENCRYPTION_KEY and refuse a wrong or missing key', async () => {
    const dir = await dataDir();
    const key = randomBytes(32).toString('hex');
    const store = new PhotoStore(loadConfig({ DATA_DIR: dir, PHOTO_ENCRYPTION_KEY: key }));
    const name = await store.save(photo);
    const onDisk = await fs.readFile(path.join(dir, 'photos', name));
    expect(onDisk.subarray(0, 4).toString()).toBe('DLE1');
    expect(onDisk.includes(photo.subarray(0, 64))).toBe(false);
    expect(await store.read(name)).toEqual(photo);
    await expect(new PhotoStore(loadConfig({ DATA_DIR: dir })).read(name)).rejects.toThrow(PhotoKeyError);
    await expect(
      new PhotoStore(loadConfig({ DATA_DIR: dir, PHOTO_ENCRYPTION_KEY: randomBytes(32).toString('base64') })).read(name),
    ).rejects.toThrow(PhotoKeyError);
  });

  it('should refuse names that could escape the photos folder', async () => {
    const store = new PhotoStore(loadConfig({ DATA_DIR: await dataDir() }));
    await expect(store.read('../../etc/passwd')).rejects.toThrow('Invalid photo name');
  });
});

function fsTemp(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'dermlink-photos-'));
}
