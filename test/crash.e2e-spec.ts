import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import Redis from 'ioredis';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { tempDataDir } from './support/app';
import { datasetOrSkip, lesionPhoto } from './support/images';
import { consentedPatient } from './support/journey';

/** A Redis database the suite may flush (.ci/run starts one). */
const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL) console.warn('Skipping the crash suite: TEST_REDIS_URL is not set (see .ci/run)');
const run = REDIS_URL && datasetOrSkip() ? describe : describe.skip;

run('A service killed (SIGKILL) or stopped (SIGTERM) in the middle of a photo (real process, real Redis)', () => {
  const api = new FakeBotApi();
  const dataDir = tempDataDir();
  let child: ChildProcess | undefined;

  /** Starts the real service as its own process, from the sources, on the shared data folder. */
  function startService(): ChildProcess {
    const root = path.resolve(__dirname, '..');
    const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        REDIS_URL: REDIS_URL!,
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_CHAT_INTERVAL_MS: '0',
        INFERENCE_CONCURRENCY: '1',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return proc;
  }

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL!);
    await redis.flushdb();
    await redis.quit();
    await api.start();
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await api.stop();
  });

  it('should answer the photo exactly once after a restart', async () => {
    child = startService();
    const chat = 8001;
    await consentedPatient(api, chat);
    api.sendPhoto(chat, await lesionPhoto('ISIC_0024312'));
    await api.waitForText(chat, /Photo received/, 60_000);
    const killed = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await killed;
    const before = api.textsTo(chat).filter((t) => /Most likely: /.test(t)).length;

    child = startService();
    await api.waitForCall(() => api.textsTo(chat).some((t) => /case code is C-/.test(t)), 120_000, 'the result after the restart');
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    const results = api.textsTo(chat).filter((t) => /Most likely: /.test(t)).length;
    // Whether the kill came before or after the result left (`before`), the patient sees it once.
    expect({ before, results }).toEqual({ before: expect.any(Number), results: 1 });
    expect(api.textsTo(chat).filter((t) => /case code is C-/.test(t))).toHaveLength(1);
  }, 240_000);

  it('should stop cleanly on SIGTERM mid-photo, finishing or handing back the job, and answer once', async () => {
    const chat = 8002;
    await consentedPatient(api, chat);
    api.sendPhoto(chat, await lesionPhoto('ISIC_0024313'));
    await api.waitForText(chat, /Photo received/, 60_000);
    const exited = new Promise<string>((r) => child!.once('exit', (code, signal) => r(signal ?? `code ${code}`)));
    child!.kill('SIGTERM');
    // Nest's shutdown hooks run (running jobs finish, connections close), then it ends by the same signal; a hang would time out.
    expect(await exited).toBe('SIGTERM');
    // The hooks did run: the Telegram polling lease was handed back rather than left to expire.
    const redis = new Redis(REDIS_URL!);
    expect(await redis.exists('dermlink:telegram:poller')).toBe(0);
    await redis.quit();

    child = startService();
    await api.waitForCall(() => api.textsTo(chat).some((t) => /case code is C-/.test(t)), 120_000, 'the result, before the stop or after the restart');
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    expect(api.textsTo(chat).filter((t) => /Most likely: /.test(t))).toHaveLength(1);
    expect(api.textsTo(chat).filter((t) => /case code is C-/.test(t))).toHaveLength(1);
  }, 240_000);
});
