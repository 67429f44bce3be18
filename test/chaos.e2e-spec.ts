import { describeReport, runChaos } from './support/chaos';

/**
 * The crash-safety chaos run, small enough for CI (`npm run chaos` is the full one): the real service
 * process killed with SIGKILL at seeded random moments, started again each time, and every photo,
 * answer and case post accounted for at the end. CHAOS_SEED repeats a run; the seed is printed.
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
if (!REDIS_URL || !DATABASE_URL)
  console.warn('Skipping the PostgreSQL + Redis chaos run: TEST_REDIS_URL and TEST_DATABASE_URL must be set (see .ci/run)');

const small = { patients: 3, photosPerPatient: 3, kills: 4, settleMs: 5 * 60_000 };

describe('Crash safety under repeated SIGKILL (real service process)', () => {
  (REDIS_URL && DATABASE_URL ? it : it.skip)(
    'should answer every photo, relay every answer and post every case exactly once, on PostgreSQL and Redis',
    async () => {
      const report = await runChaos({
        ...small,
        seed,
        databaseUrl: DATABASE_URL,
        redisUrl: REDIS_URL,
        log: (line) => console.log(line),
      });
      console.log(describeReport(report));
      expect(report.problems).toEqual([]);
    },
    12 * 60_000,
  );

  it(
    'should give the same guarantee on SQLite without Redis (one instance)',
    async () => {
      const report = await runChaos({ ...small, seed: seed + 1, log: (line) => console.log(line) });
      console.log(describeReport(report));
      expect(report.problems).toEqual([]);
    },
    12 * 60_000,
  );
});
