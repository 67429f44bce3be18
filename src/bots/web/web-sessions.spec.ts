import { testRedisConnections } from '../../../test/support/redis';
import { MAX_MESSAGES, MemoryWebSessions, RedisWebSessions, WebSessions } from './web-sessions';

const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL)
  console.warn('Web sessions spec: TEST_REDIS_URL is not set, so only the in-memory sessions are tested (see .ci/run)');

const prefix = `dermlink:test:web:${Date.now()}:`;
/** Each store on its own connection, as on separate instances. */
const { connect, closeAll } = testRedisConnections();
afterAll(closeAll);

const stores: [string, () => WebSessions][] = [
  ['in memory', () => new MemoryWebSessions()],
  ...(REDIS_URL ? [['on Redis', () => new RedisWebSessions(connect(), prefix)] as [string, () => WebSessions]] : []),
];

describe.each(stores)('web sessions %s', (_where, create) => {
  const make = create;

  it('should number messages from 1 and return those after a sequence number', async () => {
    const sessions = make();
    await sessions.create('s1');
    expect(await sessions.exists('s1')).toBe(true);
    expect(await sessions.after('s1', 0)).toEqual([]);
    const buttons = [[{ label: 'Yes', data: 'consent:yes' }]];
    expect(await sessions.append('s1', { text: 'Welcome' })).toBe(1);
    expect(await sessions.append('s1', { text: 'Agree? | more', buttons })).toBe(2);
    expect(await sessions.after('s1', 0)).toEqual([
      { seq: 1, text: 'Welcome' },
      { seq: 2, text: 'Agree? | more', buttons },
    ]);
    expect(await sessions.after('s1', 1)).toEqual([{ seq: 2, text: 'Agree? | more', buttons }]);
  });

  it('should refuse messages for a session that does not exist, and keep sessions apart', async () => {
    const sessions = make();
    await sessions.create('s2');
    expect(await sessions.exists('nobody')).toBe(false);
    expect(await sessions.append('nobody', { text: 'lost' })).toBeUndefined();
    expect(await sessions.after('nobody', 0)).toEqual([]);
    expect(await sessions.after('s2', 0)).toEqual([]);
  });

  it(`should keep only the last ${MAX_MESSAGES} messages, numbering on`, async () => {
    const sessions = make();
    await sessions.create('s3');
    for (let i = 1; i <= MAX_MESSAGES + 5; i++) await sessions.append('s3', { text: `m${i}` });
    const kept = await sessions.after('s3', 0);
    expect(kept).toHaveLength(MAX_MESSAGES);
    expect(kept[0]).toEqual({ seq: 6, text: 'm6' });
    expect(kept.at(-1)).toEqual({ seq: MAX_MESSAGES + 5, text: `m${MAX_MESSAGES + 5}` });
  });
});

(REDIS_URL ? describe : describe.skip)(RedisWebSessions.name, () => {
  it('should share sessions between instances, under a hash of the session id', async () => {
    const [one, two] = [new RedisWebSessions(connect(), prefix), new RedisWebSessions(connect(), prefix)];
    const redis = connect();
    const id = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    await one.create(id);
    expect(await two.exists(id)).toBe(true);
    await two.append(id, { text: 'from the instance that delivered it' });
    expect(await one.after(id, 0)).toEqual([{ seq: 1, text: 'from the instance that delivered it' }]);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.includes(id))).toBe(false);
    // Sessions expire after two idle hours, renewed as the page polls.
    const ttl = await redis.pttl(keys.find((k) => k.endsWith(':seq'))!);
    expect(ttl).toBeGreaterThan(60 * 60 * 1000);
  });
});
