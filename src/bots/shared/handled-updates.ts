import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Not, Repository } from 'typeorm';
import { isUniqueViolation } from '@/database/unique-violation';
import { PURGE_EVERY_MS, Scheduler } from '@/jobs/scheduler';
import type { ChannelName } from '@/messaging/channel.port';
import { HandledUpdate } from './handled-update.entity';

/** Telegram re-sends an update for at most a day, Meta a webhook for up to 7 days; 8 days of keys cover every repeat. */
const KEEP_MS = 8 * 24 * 60 * 60 * 1000;
/** A handler's hold on an update, renewed while it runs: a crashed handler's lapses after this long. */
export const CLAIM_MS = 30_000;
/** How long a second delivery waits for a handler that keeps holding its update, before handling it anyway. */
const MAX_WAIT_MS = 2 * 60_000;
const POLL_MS = 250;

/** A held update: say `done` once it is handled, or `release` when handling failed. */
export interface UpdateClaim {
  done(): Promise<void>;
  release(): Promise<void>;
}

/**
 * The updates being or already handled, in the database so the record survives the crash that makes
 * the channel (Telegram, WhatsApp's webhooks) deliver them again, and is shared by every instance. An update is claimed before it is
 * handled, so a second delivery that arrives while the first is still being handled (a new poller, a
 * webhook retry) waits for it instead of handling it again; one whose handler crashed is handled again
 * once the crashed handler's hold lapses.
 */
@Injectable()
export class HandledUpdates {
  private readonly logger = new Logger(HandledUpdates.name);

  constructor(
    @InjectRepository(HandledUpdate) private readonly updates: Repository<HandledUpdate>,
    scheduler: Scheduler,
  ) {
    scheduler.every('Handled updates purge', PURGE_EVERY_MS, () => this.purge(new Date()), 60_000);
  }

  /** Deletes the keys of updates handled over 8 days before `now` (no channel delivers them again); resolves to how many. */
  async purge(now: Date): Promise<number> {
    const { affected } = await this.updates.delete({ handledAt: LessThan(new Date(now.getTime() - KEEP_MS)) });
    return affected ?? 0;
  }

  /**
   * Takes the update for handling. Resolves to undefined when it has been handled already (at once,
   * or after waiting for the handler that holds it).
   */
  async claim(channel: ChannelName, updateKey: string): Promise<UpdateClaim | undefined> {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      if (await this.insertClaim(channel, updateKey)) return this.held(channel, updateKey);
      const now = new Date();
      const taken = await this.updates.update(
        { channel, updateKey, claimedUntil: LessThan(now) },
        { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
      );
      if (taken.affected) {
        this.logger.warn('An update was being handled when its handler stopped (a crash); handling it again');
        return this.held(channel, updateKey);
      }
      const row = await this.updates.findOneBy({ channel, updateKey });
      if (row && row.claimedUntil === null) return undefined;
      if (row && Date.now() > deadline) {
        this.logger.warn(`An update has been held by another handler for ${MAX_WAIT_MS / 1000} s; handling it here too`);
        return this.held(channel, updateKey);
      }
      await sleep(POLL_MS); // held by a live handler (or released a moment ago): look again
    }
  }

  /** A claim this process holds, renewed until it is done or released. */
  private held(channel: ChannelName, updateKey: string): UpdateClaim {
    const renewal = setInterval(() => {
      this.updates
        .update({ channel, updateKey, claimedUntil: Not(IsNull()) }, { claimedUntil: new Date(Date.now() + CLAIM_MS) })
        .catch((err: Error) => this.logger.warn(`Could not renew the hold on an update: ${err.message}`));
    }, CLAIM_MS / 3);
    renewal.unref();
    return {
      done: async () => {
        clearInterval(renewal);
        await this.updates.update({ channel, updateKey }, { claimedUntil: null });
      },
      release: async () => {
        clearInterval(renewal);
        await this.updates.delete({ channel, updateKey, claimedUntil: Not(IsNull()) });
      },
    };
  }

  private async insertClaim(channel: ChannelName, updateKey: string): Promise<boolean> {
    try {
      await this.updates.insert({ channel, updateKey, claimedUntil: new Date(Date.now() + CLAIM_MS) });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
