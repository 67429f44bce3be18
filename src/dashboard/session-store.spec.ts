import { testRedisConnections } from '../../test/support/redis';
import { MemorySessionStore, RedisSessionStore, SessionStore } from './session-store';

const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL)
  console.warn('Session store spec: TEST_REDIS_URL is not set, so only the in-memory store is tested (see .ci/run)');
const prefix = `dermlink:test:sessions:${Date.now()}:`;

const { connect, closeAll } = testRedisConnections();
afterAll(closeAll);

const stores: [string, () => SessionStore][] = [
  ['in memory', () => new MemorySessionStore()],
  ...(REDIS_URL ? [['on Redis', () => new RedisSessionStore(connect(), prefix)] as [string, () => SessionStore]] : []),
];

describe.each(stores)('session store %s', (_where, create) => {
  let store: SessionStore;
  beforeEach(() => (store = create()));

  it('should keep a value until its time runs out', async () => {
    await store.set('secret-1', { who: 'admin' }, 150);
    expect(await store.get('secret-1')).toEqual({ who: 'admin' });
    expect(await store.get('secret-2')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.get('secret-1')).toBeUndefined();
  });

  it('should hand a value out once with take, and forget it on delete', async () => {
    await store.set('code', { who: 'doctor:1' }, 10_000);
    const taken = await Promise.all([store.take('code'), store.take('code')]);
    expect(taken.filter(Boolean)).toEqual([{ who: 'doctor:1' }]);
    await store.set('session', { who: 'admin' }, 10_000);
    await store.delete('session');
    expect(await store.get('session')).toBeUndefined();
  });
});

(REDIS_URL ? describe : describe.skip)(RedisSessionStore.name, () => {
  it('should store hashes of the ids, never the ids themselves', async () => {
    const redis = connect();
    const store = new RedisSessionStore(redis, prefix);
    await store.set('the-secret-session-id', { who: 'admin' }, 10_000);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('the-secret-session-id');
  });
});
