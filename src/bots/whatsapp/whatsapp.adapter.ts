import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { DOCTORS_GROUP, DoctorsGroup } from '@/messaging/doctors-group.port';
import { I18nService } from '@/i18n/i18n.service';
import { Inbound } from '@/messaging/inbound';
import {
  ChannelCapabilities,
  ChannelSendError,
  MediaUnavailableError,
  MESSAGE_SHAPES,
  MessagingChannel,
  OutgoingMessage,
} from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { hashId } from '@/common/hash-id';
import { HandledUpdates } from '../shared/handled-updates';
import { WHATSAPP_CLIENT_FACTORY, WhatsAppClient, WhatsAppClientFactory, WhatsAppMessage } from './whatsapp-client';
import { ChatMenus } from './chat-menus';
import { MENU_CHOICE, normalizeWhatsAppMessage } from './whatsapp.normalizer';

const MEDIA_TTL_MS = 60 * 60 * 1000;
const MAX_MERGED_CHARS = 3000;
/** Unread messages older than this are not caught up: their handled-update keys (8 days) may be gone. */
const CATCH_UP_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many unread messages a chat are caught up (the latest). */
const CATCH_UP_PER_CHAT = 50;
/** In the session folder: when this phone session first ran a version that catches up (ms since 1970). */
const CATCH_UP_SINCE_FILE = 'catch-up-since';

/** A chat's messages on their way in (see `inFlight`). */
interface InFlight {
  count: number;
  handled: boolean;
  failed: boolean;
}

/**
 * The WhatsApp channel (whatsapp-web.js). Basic phones get numbered text menus instead of buttons.
 * The outbox paces what it sends (one message per chat every WHATSAPP_CHAT_INTERVAL_MS, one overall
 * every WHATSAPP_GLOBAL_INTERVAL_MS) and hands over a chat's waiting messages together, sent as one;
 * while disconnected nothing is taken, so messages wait in the database, never in memory.
 *
 * whatsapp-web.js emits only the messages that arrive while it runs. What patients sent while the
 * service was down or disconnected waits unread in their chats: once connected, the adapter reads
 * every chat's unread messages (the catch-up), and it marks a chat read once its messages are handled.
 * Each message is claimed in the database first (`handled_updates`), so one is never handled twice.
 */
@Injectable()
export class WhatsAppAdapter implements MessagingChannel, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly name = 'whatsapp' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly logger = new Logger(WhatsAppAdapter.name);
  private readonly client: WhatsAppClient;
  private readonly settings: NonNullable<AppConfig['whatsapp']>;
  private readonly media = new Map<string, { message: WhatsAppMessage; at: number }>();
  private connected = false;
  private stopping = false;
  private latestQr?: string;
  private reconnectDelayMs = 2000;
  /** Incoming messages are read one after another (a menu may be looked up), so they reach Inbound in order. */
  private arrivals: Promise<void> = Promise.resolve();
  /**
   * Per chat: messages arrived and not yet handled (counted from the moment they arrive, so a chat
   * is never marked read while one of them is still being claimed), whether one was handled, and
   * whether one failed (then the chat stays unread for the next catch-up).
   */
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly inbound: Inbound,
    @Inject(WHATSAPP_CLIENT_FACTORY) factory: WhatsAppClientFactory,
    registry: ChannelRegistry,
    private readonly i18n: I18nService,
    private readonly menus: ChatMenus,
    private readonly handled: HandledUpdates,
    @Optional() @Inject(DOCTORS_GROUP) private readonly doctors?: DoctorsGroup,
  ) {
    this.settings = config.whatsapp!;
    this.capabilities = {
      ...MESSAGE_SHAPES.whatsapp,
      pacing: {
        perChatMs: this.settings.chatIntervalMs,
        globalPerSecond:
          this.settings.globalIntervalMs > 0 ? Math.max(1, Math.floor(1000 / this.settings.globalIntervalMs)) : 1000,
      },
      mergeChars: MAX_MERGED_CHARS,
    };
    this.client = factory(this.settings);
    registry.register(this);
  }

  isReady(): boolean {
    return this.connected;
  }

  /** The QR code text to scan for the first login (undefined once logged in). */
  currentQr(): string | undefined {
    return this.connected ? undefined : this.latestQr;
  }

  onApplicationBootstrap(): void {
    this.client.on('qr', (qr) => void this.onQr(qr));
    this.client.on('ready', () => this.onReady());
    this.client.on('message', (m) => this.onMessage(m));
    this.client.on('disconnected', (reason) => void this.onDisconnected(reason));
    this.client.on('auth_failure', (message) => void this.onAuthFailure(message));
    this.client.on('change_state', (state) => this.logger.log(`WhatsApp state: ${state}`));
    // Logging in can take a while (QR scan); the service does not wait for it.
    void this.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.client.destroy().catch(() => undefined);
  }

  send(chatId: string, message: OutgoingMessage): Promise<string> {
    return this.sendMany(chatId, [message]);
  }

  /**
   * Sends messages to one chat as one WhatsApp message, each with its numbered menu; a reply number
   * then answers the last menu. Refused while disconnected (the outbox keeps them until the phone is
   * back); a failed send is retryable.
   */
  async sendMany(chatId: string, messages: OutgoingMessage[]): Promise<string> {
    if (!this.connected) throw new ChannelSendError('whatsapp', 'WhatsApp is disconnected', true);
    let menu: string[] | undefined;
    const parts = messages.map((message) => {
      const options = (message.buttons ?? []).flat();
      if (!options.length) return message.text;
      menu = options.map((o) => o.data);
      return `${message.text}\n\n${message.menuPrompt ?? 'Reply with a number:'}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
    });
    // Remembered in the database before it goes: a reply by number is understood after a restart.
    if (menu) {
      try {
        await this.menus.sent(chatId, menu);
      } catch (err) {
        throw new ChannelSendError('whatsapp', `Could not record the menu: ${(err as Error).message}`, true);
      }
    }
    try {
      const sent = await this.client.sendMessage(chatId, parts.join('\n\n'));
      return sent.id._serialized;
    } catch (err) {
      throw new ChannelSendError('whatsapp', `WhatsApp send failed: ${(err as Error).message}`, true);
    }
  }

  async downloadFile(fileRef: string): Promise<Buffer> {
    // A photo received before a restart is asked of the phone again by its message id.
    const message = this.media.get(fileRef)?.message ?? (await this.findMessage(fileRef));
    if (!message?.hasMedia) throw new MediaUnavailableError('whatsapp', 'expired');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const media = await message.downloadMedia().catch((err: Error) => {
        this.logger.debug(`WhatsApp media download attempt ${attempt} failed: ${err.message}`);
        return undefined;
      });
      if (media?.data) {
        this.media.delete(fileRef);
        return Buffer.from(media.data, 'base64');
      }
      // undefined / null: still downloading on the phone, or expired; wait a little and try again
      await sleep(attempt * 700);
    }
    throw new MediaUnavailableError('whatsapp', 'not_downloaded');
  }

  private async findMessage(messageId: string): Promise<WhatsAppMessage | undefined> {
    if (!this.connected) throw new ChannelSendError('whatsapp', 'WhatsApp is disconnected', true);
    return this.client.getMessageById(messageId).catch((err: Error) => {
      this.logger.debug(`A WhatsApp message could not be found again: ${err.message}`);
      return undefined;
    });
  }

  private async connect(): Promise<void> {
    try {
      await this.client.initialize();
    } catch (err) {
      this.logger.error(`WhatsApp client failed to start: ${(err as Error).message}`);
      this.scheduleReconnect();
    }
  }

  private async onQr(qr: string): Promise<void> {
    this.latestQr = qr;
    this.logger.log('WhatsApp needs a login: scan the QR code below, or GET /api/v1/whatsapp/qr.png with the admin token');
    try {
      const qrcode = await import('qrcode');
      process.stdout.write(`${await qrcode.toString(qr, { type: 'terminal', small: true })}\n`);
    } catch {
      /* the PNG endpoint still works */
    }
  }

  private onReady(): void {
    this.connected = true;
    this.latestQr = undefined;
    this.reconnectDelayMs = 2000;
    this.logger.log('WhatsApp connected');
    void this.catchUp();
  }

  /** Reads the messages that came while the service was away: each chat's unread ones, oldest first. */
  private async catchUp(): Promise<void> {
    try {
      const since = Math.max(Date.now() - CATCH_UP_MAX_AGE_MS, this.catchUpSince());
      let read = 0;
      let tooOld = 0;
      for (const chat of await this.client.getChats()) {
        if (chat.isGroup || chat.unreadCount <= 0 || !chat.id._serialized.endsWith('@c.us')) continue;
        const unread = Math.min(chat.unreadCount, CATCH_UP_PER_CHAT);
        // Our own messages may stand between theirs: fetch more, keep their last `unread`.
        const theirs = (await chat.fetchMessages({ limit: unread + 20 })).filter((m) => !m.fromMe).slice(-unread);
        for (const m of theirs) {
          // Timestamps are whole seconds: a message of the very second `since` falls in.
          if (m.timestamp < Math.floor(since / 1000)) tooOld++;
          else {
            this.onMessage(m);
            read++;
          }
        }
      }
      if (read || tooOld)
        this.logger.log(
          `WhatsApp: ${read} messages that came while the service was away are read now` +
            (tooOld ? ` (${tooOld} older ones left unread)` : ''),
        );
    } catch (err) {
      this.logger.warn(`Could not read the WhatsApp messages that came while the service was away: ${(err as Error).message}`);
    }
  }

  private async onDisconnected(reason: string): Promise<void> {
    this.connected = false;
    this.logger.warn(`WhatsApp disconnected (${reason}); reconnecting`);
    await this.alert(this.i18n.clinic('whatsappDisconnected', { reason }));
    await this.client.destroy().catch(() => undefined);
    this.scheduleReconnect();
  }

  private async onAuthFailure(message: string): Promise<void> {
    this.connected = false;
    this.logger.error(`WhatsApp authentication failed: ${message}`);
    await this.alert(this.i18n.clinic('whatsappLoginFailed'));
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5 * 60_000);
    setTimeout(() => void this.connect(), delay).unref();
  }

  /** Posts an alert to the doctors' group, if there is one; `text` is already in the clinic's language. */
  private async alert(text: string): Promise<void> {
    await this.doctors
      ?.post({ text: `⚠️ ${text}` })
      .catch((err: Error) => this.logger.warn(`Could not alert the doctors' group: ${err.message}`));
  }

  private onMessage(m: WhatsAppMessage): void {
    const chat = this.inFlight.get(m.from) ?? { count: 0, handled: false, failed: false };
    chat.count++;
    this.inFlight.set(m.from, chat);
    this.arrivals = this.arrivals
      .then(() => this.receive(m, chat))
      .catch((err: Error) => {
        chat.failed = true;
        this.settled(m.from, chat);
        this.logger.error(`A WhatsApp message could not be read: ${err.message}`, err.stack);
      });
  }

  /** Claims and hands on one message; settles its chat's count once that is done (or not needed). */
  private async receive(m: WhatsAppMessage, chat: InFlight): Promise<void> {
    // Only a bare number needs the chat's last menu.
    const menu =
      m.type === 'chat' && MENU_CHOICE.test((m.body ?? '').trim())
        ? await this.menus.menu(m.from).catch((err: Error) => {
            this.logger.warn(`Could not read a WhatsApp chat's menu: ${err.message}`);
            return undefined;
          })
        : undefined;
    const incoming = normalizeWhatsAppMessage(m, menu);
    // The message id names the sender's phone number: hashed in the key, and kept out of the log.
    const claim = incoming && (await this.handled.claim('whatsapp', `web:${hashId(m.id._serialized)}`));
    // Nothing to do: not a message we answer, or handled already (a catch-up that met a message read before).
    if (!incoming || !claim) return this.settled(m.from, chat);
    if (incoming.kind === 'photo') this.rememberMedia(incoming.fileRef, m);
    void this.inbound
      .handle(incoming)
      .then(
        () => {
          chat.handled = true;
          return claim.done();
        },
        async (err: Error) => {
          chat.failed = true;
          this.logger.error(`A WhatsApp ${incoming.kind} message failed: ${err.message}`, err.stack);
          await claim.release();
        },
      )
      .catch((err: Error) => this.logger.warn(`Could not record a WhatsApp message as handled: ${err.message}`))
      .finally(() => this.settled(m.from, chat));
  }

  /**
   * Unread messages from before this moment are left alone: versions before the catch-up handled
   * messages without marking their chats read, so on the first start of this one every chat's
   * recent messages would look new. Written on that first start, in the session folder (one phone
   * session, one service: whatsapp-web.js runs a single instance).
   */
  private catchUpSince(): number {
    const file = path.join(this.settings.sessionDir, CATCH_UP_SINCE_FILE);
    try {
      const since = Number(readFileSync(file, 'utf8'));
      if (Number.isFinite(since) && since > 0) return since;
    } catch {
      /* the first start: written below */
    }
    const now = Date.now();
    mkdirSync(this.settings.sessionDir, { recursive: true });
    writeFileSync(file, String(now));
    this.logger.log('WhatsApp: first start that reads missed messages; unread ones from before now are left alone');
    return now;
  }

  /**
   * Marks a chat read once every message that arrived in it is handled, if one was and none failed
   * (then the next catch-up reads it again).
   */
  private settled(chatId: string, chat: InFlight): void {
    if (--chat.count > 0) return;
    this.inFlight.delete(chatId);
    if (!chat.handled || chat.failed || !this.connected) return;
    this.client.sendSeen(chatId).catch((err: Error) => this.logger.debug(`Could not mark a WhatsApp chat read: ${err.message}`));
  }

  private rememberMedia(ref: string, message: WhatsAppMessage): void {
    const now = Date.now();
    for (const [key, entry] of this.media) if (now - entry.at > MEDIA_TTL_MS) this.media.delete(key);
    this.media.set(ref, { message, at: now });
  }
}
