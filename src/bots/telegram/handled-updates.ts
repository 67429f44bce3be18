import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import type { ChannelName } from '../channel.port';
import { HandledUpdate } from './handled-update.entity';

/** Telegram re-sends an update for at most a day; two days of keys cover every repeat. */
const KEEP_MS = 2 * 24 * 60 * 60 * 1000;
/** Old keys are deleted every this many records (and at the first). */
const PURGE_EVERY = 1000;

/**
 * The updates already handled, in the database so the record survives the crash that makes Telegram
 * deliver them again, and is shared by every instance.
 */
@Injectable()
export class HandledUpdates {
  private records = 0;

  constructor(@InjectRepository(HandledUpdate) private readonly updates: Repository<HandledUpdate>) {}

  seen(channel: ChannelName, updateKey: string): Promise<boolean> {
    return this.updates.existsBy({ channel, updateKey });
  }

  async record(channel: ChannelName, updateKey: string): Promise<void> {
    await this.updates.createQueryBuilder().insert().values({ channel, updateKey }).orIgnore().execute();
    if (this.records++ % PURGE_EVERY === 0) await this.updates.delete({ handledAt: LessThan(new Date(Date.now() - KEEP_MS)) });
  }
}
