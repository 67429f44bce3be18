import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * Short-lived values by secret id (dashboard sessions, one-time sign-in codes). Ids are stored only
 * as SHA-256 hashes, so whoever reads the store cannot sign in with what is there.
 */
export interface SessionStore {
  set(id: string, value: object, ttlMs: number): Promise<void>;
  get<T>(id: string): Promise<T | undefined>;
  /** Reads and deletes at once: a value can be taken only once, even by racing instances. */
  take<T>(id: string): Promise<T | undefined>;
  delete(id: string): Promise<void>;
}

const hashed = (id: string) => createHash('sha256').update(id).digest('base64url');

/** In this process: one instance only. */
export class MemorySessionStore implements SessionStore {
  private readonly values = new Map<string, { json: string; expires: number }>();

  set(id: string, value: object, ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const [key, v] of this.values) if (v.expires <= now) this.values.delete(key);
    this.values.set(hashed(id), { json: JSON.stringify(value), expires: now + ttlMs });
    return Promise.resolve();
  }

  get<T>(id: string): Promise<T | undefined> {
    return Promise.resolve(this.read<T>(id));
  }

  take<T>(id: string): Promise<T | undefined> {
    const value = this.read<T>(id);
    this.values.delete(hashed(id));
    return Promise.resolve(value);
  }

  delete(id: string): Promise<void> {
    this.values.delete(hashed(id));
    return Promise.resolve();
  }

  private read<T>(id: string): T | undefined {
    const v = this.values.get(hashed(id));
    return v && v.expires > Date.now() ? (JSON.parse(v.json) as T) : undefined;
  }
}

/** In Redis (keys expire by themselves; a connection it does not own): a session opened on one instance is valid on all. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async set(id: string, value: object, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + hashed(id), JSON.stringify(value), 'PX', ttlMs);
  }

  async get<T>(id: string): Promise<T | undefined> {
    const json = await this.redis.get(this.prefix + hashed(id));
    return json ? (JSON.parse(json) as T) : undefined;
  }

  async take<T>(id: string): Promise<T | undefined> {
    const json = await this.redis.getdel(this.prefix + hashed(id));
    return json ? (JSON.parse(json) as T) : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.prefix + hashed(id));
  }
}
