import { createRedisConnection } from '@/redis/redis-connection';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { tempDataDir } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient } from './support/journey';
import { ServiceProcess } from './support/service-process';

/** A Redis database the suite may flush (.ci/run starts one). */
const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL) console.warn('Skipping the crash suite: TEST_REDIS_URL is not set (see .ci/run)');
const run = REDIS_URL ? describe : describe.skip;

run('A service killed (SIGKILL) or stopped (SIGTERM) in the middle of a photo (real process, real Redis)', () => {
  const api = new FakeBotApi();
  const dataDir = tempDataDir();
  let service: ServiceProcess;

  /** Starts the real service as its own process, from the sources, on the shared data folder. */
  function startService(): void {
    service = new ServiceProcess({
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      REDIS_URL: REDIS_URL!,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_CHAT_INTERVAL_MS: '0',
      INFERENCE_CONCURRENCY: '1',
    });
    service.start();
  }

  beforeAll(async () => {
    const redis = createRedisConnection(REDIS_URL!);
    await redis.flushdb();
    await redis.quit();
    await api.start();
  });

  afterAll(async () => {
    await service?.stop();
    await api.stop();
  });

  it('should answer the photo exactly once after a restart', async () => {
    startService();
    const chat = 8001;
    await consentedPatient(api, chat);
    api.sendPhoto(chat, await lesionPhoto(7));
    await api.waitForText(chat, /Photo received/, 60_000);
    await service.kill();
    const before = api.textsTo(chat).filter((t) => /Most likely: /.test(t)).length;

    startService();
    await api.waitForCall(
      () => api.textsTo(chat).some((t) => /case code is C-/.test(t)),
      120_000,
      'the result after the restart',
    );
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    const results = api.textsTo(chat).filter((t) => /Most likely: /.test(t)).length;
    // Whether the kill came before or after the result left (`before`), the patient sees it once.
    expect({ before, results }).toEqual({ before: expect.any(Number), results: 1 });
    expect(api.textsTo(chat).filter((t) => /case code is C-/.test(t))).toHaveLength(1);
  }, 240_000);

  it('should stop cleanly on SIGTERM mid-photo, finishing or handing back the job, and answer once', async () => {
    const chat = 8002;
    await consentedPatient(api, chat);
    api.sendPhoto(chat, await lesionPhoto(8));
    await api.waitForText(chat, /Photo received/, 60_000);
    // Nest's shutdown hooks run (running jobs finish, connections close), then it ends by the same signal; a hang would time out.
    expect(await service.stop()).toBe('SIGTERM');
    // The hooks did run: the Telegram polling lease was handed back rather than left to expire.
    const redis = createRedisConnection(REDIS_URL!);
    expect(await redis.exists('dermlink:telegram:poller')).toBe(0);
    await redis.quit();

    startService();
    await api.waitForCall(
      () => api.textsTo(chat).some((t) => /case code is C-/.test(t)),
      120_000,
      'the result, before the stop or after the restart',
    );
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    expect(api.textsTo(chat).filter((t) => /Most likely: /.test(t))).toHaveLength(1);
    expect(api.textsTo(chat).filter((t) => /case code is C-/.test(t))).toHaveLength(1);
  }, 240_000);
});
