import { createHash } from 'node:crypto';

/**
 * A stable stand-in for an identifier that must not appear in Redis keys, job ids or logs (a
 * WhatsApp chat id is a phone number): the first 128 bits of its SHA-256, in hex.
 */
export function hashId(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
