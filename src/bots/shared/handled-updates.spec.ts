import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { loadConfig } from '@/config/app-config';
import { ConfigModule } from '@/config/config.module';
import { DatabaseModule } from '@/database/database.module';
import { Scheduler } from '@/jobs/scheduler';
import { HandledUpdate } from './handled-update.entity';
import { CLAIM_MS, HandledUpdates } from './handled-updates';

describe(HandledUpdates.name, () => {
  let app: INestApplicationContext;
  let handled: HandledUpdates;
  let rows: Repository<HandledUpdate>;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-handled-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.withConfig(loadConfig({ DATA_DIR: dataDir })),
        DatabaseModule,
        TypeOrmModule.forFeature([HandledUpdate]),
      ],
      providers: [HandledUpdates, Scheduler],
    }).compile();
    app = await moduleRef.init();
    handled = app.get(HandledUpdates);
    rows = app.get(getRepositoryToken(HandledUpdate));
  });

  afterAll(async () => {
    await app.close();
  });

  describe('claim', () => {
    it('should let one delivery handle an update, and skip a later one', async () => {
      const claim = await handled.claim('telegram', 'm:1:1');
      expect(claim).toBeDefined();
      await claim!.done();
      expect(await handled.claim('telegram', 'm:1:1')).toBeUndefined();
    });

    it('should make a second delivery wait while the first is being handled, then skip it', async () => {
      const first = await handled.claim('telegram', 'm:1:2');
      const settled = jest.fn();
      const second = handled.claim('telegram', 'm:1:2').then((c) => {
        settled();
        return c;
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(settled).not.toHaveBeenCalled(); // still waiting for the first
      await first!.done();
      expect(await second).toBeUndefined();
    });

    it('should hand the update to a second delivery when the first failed (released)', async () => {
      const first = await handled.claim('telegram', 'm:1:3');
      const second = handled.claim('telegram', 'm:1:3');
      await first!.release();
      const claim = await second;
      expect(claim).toBeDefined();
      await claim!.done();
      expect(await handled.claim('telegram', 'm:1:3')).toBeUndefined();
    });

    it('should hand the update to a second delivery once the hold of a crashed handler has lapsed', async () => {
      // A handler took it and died (kill -9): its hold was never renewed.
      await rows.insert({ channel: 'telegram', updateKey: 'm:1:4', claimedUntil: new Date(Date.now() - 1) });
      const claim = await handled.claim('telegram', 'm:1:4');
      expect(claim).toBeDefined();
      const row = await rows.findOneByOrFail({ channel: 'telegram', updateKey: 'm:1:4' });
      expect(row.claimedUntil!.getTime()).toBeGreaterThan(Date.now() + CLAIM_MS / 2);
      await claim!.done();
      expect((await rows.findOneByOrFail({ channel: 'telegram', updateKey: 'm:1:4' })).claimedUntil).toBeNull();
    });
  });

  it('should forget the keys of updates handled over 8 days ago, and only those', async () => {
    const now = Date.now();
    const DAY_MS = 24 * 60 * 60 * 1000;
    await rows.insert([
      { channel: 'whatsapp', updateKey: 'wamid.old', handledAt: new Date(now - 9 * DAY_MS), claimedUntil: null },
      { channel: 'whatsapp', updateKey: 'wamid.recent', handledAt: new Date(now - 7 * DAY_MS), claimedUntil: null },
    ]);
    expect(await handled.purge(new Date(now))).toBeGreaterThanOrEqual(1);
    expect(await rows.countBy({ updateKey: 'wamid.old' })).toBe(0);
    // Meta may still deliver a week-old webhook again: its key stays, and the repeat is skipped.
    expect(await handled.claim('whatsapp', 'wamid.recent')).toBeUndefined();
  });
});
