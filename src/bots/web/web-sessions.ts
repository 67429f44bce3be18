import type Redis from 'ioredis';
import { hashId } from '@/common/hash-id';

/** A message as the "try it" page shows it. */
export interface WebMessage {
  seq: number;
  text: string;
  buttons?: { label: string; data: string }[][];
}

/**
 * The "try it" page's sessions and the messages waiting for the page. Replies are sent by outbox
 * jobs, which run on any instance, and the page polls any instance behind the load balancer, so
 * with Redis they live there; without it, in this process.
 */
export interface WebSessions {
  create(id: string): Promise<void>;
  exists(id: string): Promise<boolean>;
  /** Adds a message and returns its sequence number, or undefined when the session has expired. */
  append(id: string, message: Omit<WebMessage, 'seq'>): Promise<number | undefined>;
  /** The kept messages after sequence number `after` (the last `MAX_MESSAGES`); keeps the session alive. */
  after(id: string, after: number): Promise<WebMessage[]>;
}

export const MAX_SESSIONS = 1000;
export const MAX_MESSAGES = 200;
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

/** In this process: one instance only. Sessions expire after two idle hours; at most MAX_SESSIONS. */
export class MemoryWebSessions implements WebSessions {
  private readonly sessions = new Map<string, { messages: WebMessage[]; touched: number }>();

  create(id: string): Promise<void> {
    const now = Date.now();
    for (const [key, s] of this.sessions) if (now - s.touched > SESSION_TTL_MS) this.sessions.delete(key);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(id, { messages: [], touched: now });
    return Promise.resolve();
  }

  exists(id: string): Promise<boolean> {
    return Promise.resolve(this.live(id) !== undefined);
  }

  append(id: string, message: Omit<WebMessage, 'seq'>): Promise<number | undefined> {
    const session = this.live(id);
    if (!session) return Promise.resolve(undefined);
    const seq = (session.messages.at(-1)?.seq ?? 0) + 1;
    session.messages.push({ seq, ...message });
    if (session.messages.length > MAX_MESSAGES) session.messages.shift();
    return Promise.resolve(seq);
  }

  after(id: string, after: number): Promise<WebMessage[]> {
    return Promise.resolve(this.live(id)?.messages.filter((m) => m.seq > after) ?? []);
  }

  private live(id: string): { messages: WebMessage[]; touched: number } | undefined {
    const session = this.sessions.get(id);
    if (!session || Date.now() - session.touched > SESSION_TTL_MS) return undefined;
    session.touched = Date.now();
    return session;
  }
}

// Atomic append: nothing is added to a session that has expired, and sequence numbers never repeat.
const APPEND = `
if redis.call('exists', KEYS[1]) == 0 then return 0 end
local seq = redis.call('incr', KEYS[1])
redis.call('rpush', KEYS[2], seq .. '|' .. ARGV[1])
redis.call('ltrim', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('pexpire', KEYS[1], ARGV[3])
redis.call('pexpire', KEYS[2], ARGV[3])
return seq`;

/**
 * In Redis, shared by every instance: a sequence counter (its presence is the session) and a capped
 * list of `seq|json` entries, both expiring after two idle hours. Keys name a hash of the session
 * id ({@link hashId}), so whoever reads Redis cannot open someone's conversation. The connection is
 * the instance's shared one, not its own.
 */
export class RedisWebSessions implements WebSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(id: string): Promise<void> {
    const [seq] = this.keys(id);
    await this.redis.set(seq, 0, 'PX', SESSION_TTL_MS);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys(id)[0])) === 1;
  }

  async append(id: string, message: Omit<WebMessage, 'seq'>): Promise<number | undefined> {
    const [seq, list] = this.keys(id);
    const n = Number(await this.redis.eval(APPEND, 2, seq, list, JSON.stringify(message), MAX_MESSAGES, SESSION_TTL_MS));
    return n > 0 ? n : undefined;
  }

  async after(id: string, after: number): Promise<WebMessage[]> {
    const [seq, list] = this.keys(id);
    const [[, entries]] = (await this.redis
      .multi()
      .lrange(list, 0, -1)
      .pexpire(seq, SESSION_TTL_MS)
      .pexpire(list, SESSION_TTL_MS)
      .exec()) as [[Error | null, string[]]];
    return entries
      .map((entry) => {
        const bar = entry.indexOf('|');
        return { seq: Number(entry.slice(0, bar)), ...(JSON.parse(entry.slice(bar + 1)) as Omit<WebMessage, 'seq'>) };
      })
      .filter((m) => m.seq > after);
  }

  private keys(id: string): [seq: string, list: string] {
    const base = this.prefix + hashId(id);
    return [`${base}:seq`, `${base}:messages`];
  }
}
