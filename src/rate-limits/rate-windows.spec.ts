import { testRedisConnections } from '../../test/support/redis';
import { MemoryRateWindows, RateRule, RateWindows, RedisRateWindows } from './rate-windows';

const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL)
  console.warn('Rate windows spec: TEST_REDIS_URL is not set, so only the in-memory windows are tested (see .ci/run)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(MemoryRateWindows.name, () => {
  it('should allow `limit` events per window and key, then refuse until the window slides', async () => {
    let now = 0;
    const windows = new MemoryRateWindows(() => now);
    const rule = (key: string): RateRule[] => [{ key, limit: 3, windowMs: 60_000 }];
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(await windows.reserve(rule('a')));
    expect(waits).toEqual([0, 0, 0, 60_000]);
    expect(await windows.reserve(rule('b'))).toBe(0);
    now = 59_999;
    expect(await windows.reserve(rule('a'))).toBe(1);
    now = 60_000;
    expect(await windows.reserve(rule('a'))).toBe(0);
  });
});

const { connect, closeAll } = testRedisConnections();
afterAll(closeAll);

const stores: [string, () => RateWindows][] = [
  ['in memory', () => new MemoryRateWindows()],
  ...(REDIS_URL
    ? [['on Redis', () => new RedisRateWindows(connect(), `dermlink:test:rate:${Date.now()}:`)] as [string, () => RateWindows]]
    : []),
];

describe.each(stores)('rate windows %s', (_where, create) => {
  const make = create;

  it('should answer the wait until the oldest event in the window expires, then allow again', async () => {
    const windows = make();
    const rule = [{ key: 'chat', limit: 2, windowMs: 400 }];
    expect(await windows.reserve(rule)).toBe(0);
    expect(await windows.reserve(rule)).toBe(0);
    const wait = await windows.reserve(rule);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(400);
    await sleep(wait + 5);
    expect(await windows.reserve(rule)).toBe(0);
  });

  it('should count an event under every rule or under none', async () => {
    const windows = make();
    const chat = { key: 'one-chat', limit: 1, windowMs: 10_000 };
    const global = { key: 'all-chats', limit: 3, windowMs: 10_000 };
    expect(await windows.reserve([chat, global])).toBe(0);
    // The chat is full: refused, and the global window must not have counted the refused event.
    expect(await windows.reserve([chat, global])).toBeGreaterThan(9_000);
    expect(await windows.reserve([{ key: 'other-chat', limit: 1, windowMs: 10_000 }, global])).toBe(0);
    expect(await windows.reserve([global])).toBe(0);
    expect(await windows.reserve([global])).toBeGreaterThan(9_000);
  });
});

(REDIS_URL ? describe : describe.skip)(RedisRateWindows.name, () => {
  it('should share one limit between instances', async () => {
    const prefix = `dermlink:test:rate:shared:${Date.now()}:`;
    const one = new RedisRateWindows(connect(), prefix);
    const two = new RedisRateWindows(connect(), prefix);
    const rule = [{ key: 'telegram:global', limit: 30, windowMs: 1000 }];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).reserve(rule)));
    expect(answers.filter((w) => w === 0)).toHaveLength(30);
    const redis = connect();
    expect(await redis.zcard(`${prefix}telegram:global`)).toBe(30);
    expect(await redis.pttl(`${prefix}telegram:global`)).toBeLessThanOrEqual(1000);
  });
});
