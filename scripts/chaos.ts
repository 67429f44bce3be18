/**
 * `npm run chaos -- [--seed N] [--patients 10] [--photos 5] [--kills 12] [--kinds k,...] [--workers 1] [--sqlite] [--database URL --redis URL] [--json]`:
 * the crash-safety chaos run (test/support/chaos.ts) at full size: the real service process, patients
 * sending photos (`--photos` each) and doctors claiming and answering, killed with SIGKILL `--kills`
 * times at seeded random moments and started again each time; then every photo must have exactly one
 * result, card and case code message, every answer must have reached its patient once, every case
 * must have been posted once. PostgreSQL and Redis by default (`--database`, `--redis`, else
 * TEST_DATABASE_URL and TEST_REDIS_URL: databases it may wipe), or `--sqlite` for one instance on
 * SQLite without Redis. `--kinds` draws the kills from some kinds only (inference, delivery,
 * group-post, boot, any-time; e.g. `any-time` to see how often a kill at a random moment repeats a
 * message). `--workers` is INFERENCE_CONCURRENCY (1: without Redis the model runs in the service
 * process). Prints the counts and the seed; exits 1 when a guarantee did not hold.
 */
import { describeReport, KILL_KINDS, KillKind, runChaos } from '../test/support/chaos';
import { flag, parseArgs } from './lib/cli';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json', 'sqlite']);
  const seed = Number(flag(args, 'seed', String(Date.now() % 1_000_000)));
  const sqlite = args.bools.has('sqlite');
  const databaseUrl = sqlite ? undefined : flag(args, 'database', process.env.TEST_DATABASE_URL);
  const redisUrl = sqlite ? undefined : flag(args, 'redis', process.env.TEST_REDIS_URL);
  if (!sqlite && (!databaseUrl || !redisUrl)) {
    console.error(
      'Give --database and --redis (or TEST_DATABASE_URL and TEST_REDIS_URL): databases the run may wipe; or --sqlite',
    );
    process.exit(2);
  }
  const json = args.bools.has('json');
  const kinds = flag(args, 'kinds')?.split(',') as KillKind[] | undefined;
  if (kinds?.some((k) => !KILL_KINDS.includes(k))) {
    console.error(`--kinds: one or more of ${KILL_KINDS.join(', ')}`);
    process.exit(2);
  }
  const report = await runChaos({
    seed,
    patients: Number(flag(args, 'patients', '10')),
    photosPerPatient: Number(flag(args, 'photos', '5')),
    kills: Number(flag(args, 'kills', '12')),
    kinds,
    workers: Number(flag(args, 'workers', '1')),
    databaseUrl,
    redisUrl,
    log: (line) => (json ? undefined : console.log(line)),
  });
  console.log(json ? JSON.stringify(report) : describeReport(report));
  process.exit(report.problems.length ? 1 : 0);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(2);
});
