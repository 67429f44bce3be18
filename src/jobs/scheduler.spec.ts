import { Scheduler } from './scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(Scheduler.name, () => {
  it('should start tasks only once the application has started, first after firstAfterMs, then every everyMs', async () => {
    const scheduler = new Scheduler();
    const runs: number[] = [];
    const started = Date.now();
    scheduler.every('counting', 40, () => Promise.resolve(void runs.push(Date.now() - started)), 0);
    await sleep(30);
    expect(runs).toEqual([]);
    scheduler.onApplicationBootstrap();
    await sleep(150);
    await scheduler.onModuleDestroy();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(5);
  });

  it('should never overlap runs of one task, and keep going after a failure', async () => {
    const scheduler = new Scheduler();
    scheduler.onApplicationBootstrap();
    let inside = 0;
    let peak = 0;
    let calls = 0;
    scheduler.every(
      'slow and failing',
      5,
      async () => {
        calls++;
        inside++;
        peak = Math.max(peak, inside);
        await sleep(30);
        inside--;
        if (calls === 1) throw new Error('first run fails');
      },
      0,
    );
    await sleep(150);
    await scheduler.onModuleDestroy();
    expect(peak).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('should wait for the run under way when it stops, and run nothing after', async () => {
    const scheduler = new Scheduler();
    scheduler.onApplicationBootstrap();
    let finished = false;
    let calls = 0;
    scheduler.every(
      'long',
      10,
      async () => {
        calls++;
        await sleep(80);
        finished = true;
      },
      0,
    );
    await sleep(20);
    await scheduler.onModuleDestroy();
    expect(finished).toBe(true);
    const after = calls;
    await sleep(50);
    expect(calls).toBe(after);
  });
});
