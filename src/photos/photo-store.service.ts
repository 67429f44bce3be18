import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { openPhoto, sealPhoto } from './photo-cipher';

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
    await fs.writeFile(tmp, this.key ? sealPhoto(data, this.key) : data, { mode: 0o600 });
    await fs.rename(tmp, this.resolve(name));
    return name;
  }

  async read(name: string): Promise<Buffer> {
    return openPhoto(await fs.readFile(this.resolve(name)), this.key);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.resolve(name), { force: true });
  }

  private resolve(name: string): string {
    if (!/^[a-f0-9]{32}\.bin$/.test(name)) throw new Error('Invalid photo name');
    return path.join(this.config.photosDir, name);
  }
}
