import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Sealed photos start with this, then a 12-byte IV and a 16-byte GCM tag. */
const MAGIC = Buffer.from('DLE1');

/** A sealed photo and no key (or another key) to open it. */
export class PhotoKeyError extends Error {
  override name = 'PhotoKeyError';
}

/** PHOTO_ENCRYPTION_KEY as bytes: 64 hex characters or base64 of 32 bytes. */
export function parsePhotoKey(value: string): Buffer {
  return Buffer.from(value, /^[0-9a-f]{64}$/i.test(value) ? 'hex' : 'base64');
}

/** AES-256-GCM with a random IV. */
export function sealPhoto(data: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

export function isSealed(stored: Buffer): boolean {
  return stored.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Opens a sealed photo; bytes that were never sealed come back as they are. */
export function openPhoto(stored: Buffer, key: Buffer | undefined): Buffer {
  if (!isSealed(stored)) return stored;
  if (!key) throw new PhotoKeyError('This photo is encrypted and PHOTO_ENCRYPTION_KEY is not set');
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(4, 16));
  decipher.setAuthTag(stored.subarray(16, 32));
  try {
    return Buffer.concat([decipher.update(stored.subarray(32)), decipher.final()]);
  } catch {
    throw new PhotoKeyError('This photo cannot be decrypted with the configured PHOTO_ENCRYPTION_KEY');
  }
}
