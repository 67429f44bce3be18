import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { hashId } from '@/common/hash-id';
import { PURGE_EVERY_MS, Scheduler } from '@/jobs/scheduler';
import { ConversationWindow } from './conversation-window.entity';

/** WhatsApp's customer-service window: free-form messages may be sent for 24 hours after the person's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/** A message is not started in the window's last minutes (it could arrive after the window closed). */
const MARGIN_MS = 10 * 60 * 1000;
/** A window's record is kept this long after the person last wrote (a day past its close), then deleted. */
const KEEP_MS = 2 * WINDOW_MS;

/**
 * The open customer-service windows, in the database (webhooks reach any instance, and the window
 * must outlive a restart). A chat is named by its hash.
 */
@Injectable()
export class ConversationWindows {
  constructor(
    @InjectRepository(ConversationWindow) private readonly windows: Repository<ConversationWindow>,
    scheduler: Scheduler,
  ) {
    scheduler.every('WhatsApp window purge', PURGE_EVERY_MS, () => this.purge(new Date()), 60_000);
  }

  /** Deletes the records of windows whose person last wrote over two days before `now`; resolves to how many. */
  async purge(now: Date): Promise<number> {
    const { affected } = await this.windows.delete({ lastInboundAt: LessThan(new Date(now.getTime() - KEEP_MS)) });
    return affected ?? 0;
  }

  /** The person wrote at `at` (their message's time); a later message moves the window, an older one does not. */
  async opened(chatId: string, at: Date): Promise<void> {
    const key = { channel: 'whatsapp', chatHash: hashId(chatId) };
    const existing = await this.windows.findOneBy(key);
    if (existing && existing.lastInboundAt >= at) return;
    await this.windows.upsert({ ...key, lastInboundAt: at }, ['channel', 'chatHash']);
  }

  /** Whether a free-form message may be sent to the chat now. */
  async isOpen(chatId: string, now = new Date()): Promise<boolean> {
    const row = await this.windows.findOneBy({ channel: 'whatsapp', chatHash: hashId(chatId) });
    return !!row && now.getTime() - row.lastInboundAt.getTime() < WINDOW_MS - MARGIN_MS;
  }

  /**
   * WhatsApp said the window was closed at `at` (it knows best): forget it until the person writes
   * again. A report about an earlier send that arrives after the person wrote again (statuses come
   * late and out of order) leaves the window they opened since. WhatsApp's times are whole
   * seconds: a message in the report's own second is not known to be later, and the window closes.
   */
  async closed(chatId: string, at = new Date()): Promise<void> {
    const before = new Date(at.getTime() + 1000);
    await this.windows.delete({ channel: 'whatsapp', chatHash: hashId(chatId), lastInboundAt: LessThan(before) });
  }
}
