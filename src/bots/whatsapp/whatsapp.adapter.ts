import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { DOCTORS_GROUP, DoctorsGroup } from '@/doctors/doctors-group.port';
import { I18nService } from '@/i18n/i18n.service';
import { INCOMING_HANDLER } from '../bots.tokens';
import { ChannelSendError, IncomingMessageHandler, MediaUnavailableError, MESSAGE_SHAPES, MessagingChannel, OutgoingMessage } from '../channel.port';
import { ChannelRegistry } from '../channel.registry';
import { WHATSAPP_CLIENT_FACTORY, WhatsAppClient, WhatsAppClientFactory, WhatsAppMessage } from './whatsapp-client';
import { normalizeWhatsAppMessage } from './whatsapp.normalizer';

interface Pending {
  chatId: string;
  text: string;
}

const MEDIA_TTL_MS = 60 * 60 * 1000;
const MAX_MERGED_CHARS = 3000;

/**
 * The WhatsApp channel (whatsapp-web.js). Basic phones get numbered text menus instead of buttons.
 * Outgoing messages go through a throttled queue (one per chat every WHATSAPP_CHAT_INTERVAL_MS, one
 * overall every WHATSAPP_GLOBAL_INTERVAL_MS); while disconnected they wait, and are sent once the
 * client is ready again. Consecutive queued messages to one chat are merged into one.
 */
@Injectable()
export class WhatsAppAdapter implements MessagingChannel, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly name = 'whatsapp' as const;
  readonly capabilities = MESSAGE_SHAPES.whatsapp;
  private readonly logger = new Logger(WhatsAppAdapter.name);
  private readonly client: WhatsAppClient;
  private readonly settings: NonNullable<AppConfig['whatsapp']>;
  private readonly queue: Pending[] = [];
  private readonly lastSentAt = new Map<string, number>();
  private lastAnySentAt = 0;
  private readonly menus = new Map<string, string[]>();
  private readonly media = new Map<string, { message: WhatsAppMessage; at: number }>();
  private connected = false;
  private stopping = false;
  private latestQr?: string;
  private reconnectDelayMs = 2000;
  private pumpTimer?: NodeJS.Timeout;
  private pumping = false;
  private sequence = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(INCOMING_HANDLER) private readonly handler: IncomingMessageHandler,
    @Inject(WHATSAPP_CLIENT_FACTORY) factory: WhatsAppClientFactory,
    registry: ChannelRegistry,
    private readonly i18n: I18nService,
    @Optional() @Inject(DOCTORS_GROUP) private readonly doctors?: DoctorsGroup,
  ) {
    this.settings = config.whatsapp!;
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

  /** Messages waiting to be sent (e.g. while disconnected). */
  queuedCount(): number {
    return this.queue.length;
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
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    if (this.queue.length) this.logger.warn(`${this.queue.length} WhatsApp message(s) still queued at shutdown`);
    await this.client.destroy().catch(() => undefined);
  }

  /**
   * Takes a message into the throttled queue. Refused while disconnected, so the outbox keeps it in
   * the database until the phone is back.
   */
  send(chatId: string, message: OutgoingMessage): Promise<string> {
    if (!this.connected) return Promise.reject(new ChannelSendError('whatsapp', 'WhatsApp is disconnected', true));
    let text = message.text;
    const options = (message.buttons ?? []).flat();
    if (options.length) {
      this.menus.set(chatId, options.map((o) => o.data));
      text += `\n\n${message.menuPrompt ?? 'Reply with a number:'}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
    }
    this.queue.push({ chatId, text });
    this.schedulePump(0);
    return Promise.resolve(`queued:${++this.sequence}`);
  }

  async downloadFile(fileRef: string): Promise<Buffer> {
    const entry = this.media.get(fileRef);
    if (!entry) throw new MediaUnavailableError('whatsapp', 'expired');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const media = await entry.message.downloadMedia().catch(() => undefined);
      if (media?.data) {
        this.media.delete(fileRef);
        return Buffer.from(media.data, 'base64');
      }
      // undefined / null: still downloading on the phone, or expired; wait a little and try again
      await sleep(attempt * 700);
    }
    throw new MediaUnavailableError('whatsapp', 'not_downloaded');
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
    this.logger.log(`WhatsApp connected; ${this.queue.length} queued message(s) to send`);
    this.schedulePump(0);
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
    await this.doctors?.post({ text: `⚠️ ${text}` }).catch((err: Error) => this.logger.warn(`Could not alert the doctors' group: ${err.message}`));
  }

  private onMessage(m: WhatsAppMessage): void {
    const incoming = normalizeWhatsAppMessage(m, this.menus.get(m.from));
    if (!incoming) return;
    if (incoming.kind === 'photo') this.rememberMedia(incoming.fileRef, m);
    // The message id names the sender's phone number, so it stays out of the log.
    this.handler.handle(incoming).catch((err: Error) => this.logger.error(`A WhatsApp ${incoming.kind} message failed: ${err.message}`, err.stack));
  }

  private rememberMedia(ref: string, message: WhatsAppMessage): void {
    const now = Date.now();
    for (const [key, entry] of this.media) if (now - entry.at > MEDIA_TTL_MS) this.media.delete(key);
    this.media.set(ref, { message, at: now });
  }

  private schedulePump(delayMs: number): void {
    if (this.stopping || this.pumpTimer) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      void this.pump();
    }, delayMs);
  }

  /** Sends what the throttle allows now, then sleeps until the next message may go. */
  private async pump(): Promise<void> {
    if (this.pumping || !this.connected || this.stopping) return;
    this.pumping = true;
    try {
      while (this.queue.length && this.connected && !this.stopping) {
        const now = Date.now();
        const index = this.queue.findIndex((p) => now - (this.lastSentAt.get(p.chatId) ?? 0) >= this.settings.chatIntervalMs);
        const globalWait = this.settings.globalIntervalMs - (now - this.lastAnySentAt);
        if (index < 0 || globalWait > 0) {
          const chatWait = Math.min(...this.queue.map((p) => this.settings.chatIntervalMs - (now - (this.lastSentAt.get(p.chatId) ?? 0))));
          this.schedulePump(Math.max(globalWait, index < 0 ? chatWait : 0, 10));
          return;
        }
        const chatId = this.queue[index].chatId;
        const batch = this.takeMerged(chatId);
        try {
          await this.client.sendMessage(chatId, batch);
          this.lastSentAt.set(chatId, Date.now());
          this.lastAnySentAt = Date.now();
        } catch (err) {
          // Keep it, in order, and try again later: nothing is lost.
          this.queue.unshift({ chatId, text: batch });
          this.logger.warn(`WhatsApp send failed (${(err as Error).message}); will retry`);
          this.schedulePump(2000);
          return;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Removes and joins the queued messages of one chat (in order, up to a size). */
  private takeMerged(chatId: string): string {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; i < this.queue.length; ) {
      const p = this.queue[i];
      if (p.chatId !== chatId) {
        i++;
        continue;
      }
      if (parts.length && size + p.text.length > MAX_MERGED_CHARS) break;
      parts.push(p.text);
      size += p.text.length;
      this.queue.splice(i, 1);
    }
    return parts.join('\n\n');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
