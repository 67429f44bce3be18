import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';

/** Files written with PHOTO_ENCRYPTION_KEY start with this, then a 12-byte IV and a 16-byte GCM tag. */
const MAGIC = Buffer.from('DLE1');

/** A stored photo is encrypted and no key (or another key) is configured. */
export class PhotoKeyError extends Error {
  override name = 'PhotoKeyError';
}

/**
 * Patients' photos on disk under DATA_DIR/photos, with random names and outside any served folder,
 * optionally encrypted at rest (AES-256-GCM, PHOTO_ENCRYPTION_KEY). Writes are atomic (temp file +
 * rename) so a crash never leaves half a photo.
 */
@Injectable()
export class PhotoStore {
  private readonly key?: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = config.privacy.photoKey;
  }

  async save(data: Buffer): Promise<string> {
    await fs.mkdir(this.config.photosDir, { recursive: true, mode: 0o700 });
    const name = `${randomBytes(16).toString('hex')}.bin`;
    const tmp = path.join(this.config.photosDir, `.${name}.tmp`);
    await fs.writeFile(tmp, this.key ? this.encrypt(data, this.key) : data, { mode: 0o600 });
    await fs.rename(tmp, this.resolve(name));
    return name;
  }

  async read(name: string): Promise<Buffer> {
    const stored = await fs.readFile(this.resolve(name));
    if (!stored.subarray(0, MAGIC.length).equals(MAGIC)) return stored;
    if (!this.key) throw new PhotoKeyError('This photo is encrypted and PHOTO_ENCRYPTION_KEY is not set');
    return this.decrypt(stored, this.key);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.resolve(name), { force: true });
  }

  private encrypt(data: Buffer, key: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  private decrypt(stored: Buffer, key: Buffer): Buffer {
    const iv = stored.subarray(4, 16);
    const tag = stored.subarray(16, 32);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(stored.subarray(32)), decipher.final()]);
    } catch {
      throw new PhotoKeyError('This photo cannot be decrypted with the configured PHOTO_ENCRYPTION_KEY');
    }
  }

  private resolve(name: string): string {
    if (!/^[a-f0-9]{32}\.bin$/.test(name)) throw new Error('Invalid photo name');
    return path.join(this.config.photosDir, name);
  }
}
