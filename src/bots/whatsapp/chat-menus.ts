import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { hashId } from '@/common/hash-id';
import { PURGE_EVERY_MS, Scheduler } from '@/jobs/scheduler';
import { ChatMenu } from './chat-menu.entity';

/** A menu is forgotten this long after it was sent (a reply by number is then read as text). */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;
const CHANNEL = 'whatsapp';

/**
 * The numbered menu last sent to each WhatsApp chat (whatsapp-web.js sends every choice that way, the
 * Cloud API where buttons and lists do not fit), in the database: a reply by number must be understood
 * after a restart, and by whichever instance Meta's webhook reaches. A chat is named by its hash; a
 * menu holds only its options' data (the same for everyone who is asked that question).
 */
@Injectable()
export class ChatMenus {
  constructor(
    @InjectRepository(ChatMenu) private readonly rows: Repository<ChatMenu>,
    scheduler: Scheduler,
  ) {
    scheduler.every('WhatsApp menus purge', PURGE_EVERY_MS, () => this.purge(new Date()), 60_000);
  }

  /**
   * Remembers the numbered menu being sent to a chat (its options' data in order), or, with none,
   * that the chat's last choice was offered otherwise (buttons, a list) and a number answers nothing.
   */
  async sent(chatId: string, options: string[] | undefined): Promise<void> {
    const key = { channel: CHANNEL, chatHash: hashId(chatId) };
    if (!options?.length) {
      await this.rows.delete(key);
      return;
    }
    await this.rows.upsert({ ...key, options: JSON.stringify(options), sentAt: new Date() }, ['channel', 'chatHash']);
  }

  /** The numbered menu last sent to the chat, if it has one. */
  async menu(chatId: string): Promise<string[] | undefined> {
    return (await this.menus([chatId])).get(chatId);
  }

  /** The numbered menus last sent to these chats, by chat (chats without one are left out). */
  async menus(chatIds: string[]): Promise<Map<string, string[]>> {
    const byHash = new Map(chatIds.map((chatId) => [hashId(chatId), chatId]));
    const menus = new Map<string, string[]>();
    if (!byHash.size) return menus;
    const rows = await this.rows.findBy({ channel: CHANNEL, chatHash: In([...byHash.keys()]) });
    for (const row of rows) {
      const options = parseOptions(row.options);
      if (options) menus.set(byHash.get(row.chatHash)!, options);
    }
    return menus;
  }

  /** Deletes the menus sent over 30 days before `now`; resolves to how many. */
  async purge(now: Date): Promise<number> {
    const { affected } = await this.rows.delete({ sentAt: LessThan(new Date(now.getTime() - KEEP_MS)) });
    return affected ?? 0;
  }
}

function parseOptions(json: string): string[] | undefined {
  try {
    const options: unknown = JSON.parse(json);
    return Array.isArray(options) && options.every((o) => typeof o === 'string') ? options : undefined;
  } catch {
    return undefined;
  }
}
