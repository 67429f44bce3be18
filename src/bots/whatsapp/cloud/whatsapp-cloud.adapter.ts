import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig, WhatsAppCloudConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { hashId } from '@/common/hash-id';
import { I18nService } from '@/i18n/i18n.service';
import {
  AwaitingReplyError,
  ChannelCapabilities,
  ChannelSendError,
  DeliveryReport,
  MediaUnavailableError,
  MESSAGE_SHAPES,
  MessageNotice,
  MessagingChannel,
  OutgoingMessage,
} from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { Inbound } from '@/messaging/inbound';
import { HandledUpdates } from '../../shared/handled-updates';
import { ChatMenus } from '../chat-menus';
import { photoMessage, renderCloudMessage } from './cloud-render';
import type { CloudStatus, CloudWebhook } from './cloud-webhook.types';
import { chatIdOf, chatsAnsweringByNumber, CloudEvent, cloudEvents, cloudTime, waIdOf } from './cloud.normalizer';
import { ConversationWindows } from './conversation-windows';
import { errorOutcome, GraphApi, GraphApiError, MediaTooLargeError, WINDOW_CLOSED } from './graph-api';
import { loadTemplates, TemplateDefinition, templateMessage } from './templates';

/** A webhook POST is answered once its events are handled, or after this long (they go on in the background). */
const ANSWER_WITHIN_MS = 10_000;
const DOWNLOAD_ATTEMPTS = 3;
/** The templates this instance sent, remembered a while so their statuses are not looked for in the outbox. */
const MAX_REMEMBERED_NOTICES = 5_000;

/**
 * The WhatsApp channel on Meta's WhatsApp Business Platform (Cloud API): webhooks in (see
 * WhatsAppCloudWebhookController), Graph API calls out, no browser and no linked phone. The journey
 * is the one of whatsapp-web.js (channel `whatsapp`, so switching modes keeps patients, cases and the
 * outbox), with reply buttons and lists where they fit. Outside the 24-hour customer-service window
 * a message cannot be sent: an approved template (whatsapp-templates/) asks the person to write, and
 * the message waits in the outbox for their reply. Webhook events are claimed in the database, so a
 * redelivered one is handled once; delivery statuses go to the outbox's delivery record.
 */
@Injectable()
export class WhatsAppCloudAdapter implements MessagingChannel, BeforeApplicationShutdown {
  readonly name = 'whatsapp' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly logger = new Logger(WhatsAppCloudAdapter.name);
  private readonly settings: WhatsAppCloudConfig;
  private readonly graph: GraphApi;
  private readonly templates: Map<MessageNotice['kind'], TemplateDefinition>;
  private readonly notices = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly inbound: Inbound,
    registry: ChannelRegistry,
    private readonly i18n: I18nService,
    private readonly windows: ConversationWindows,
    private readonly handled: HandledUpdates,
    private readonly menus: ChatMenus,
  ) {
    this.settings = config.whatsappCloud!;
    this.capabilities = {
      ...MESSAGE_SHAPES.whatsapp,
      maxFileBytes: this.settings.maxMediaBytes,
      pacing: { perChatMs: this.settings.chatIntervalMs, globalPerSecond: this.settings.globalPerSecond },
      confirmsDelivery: true,
    };
    this.graph = new GraphApi(this.settings);
    this.templates = loadTemplates(this.settings.templatesDir);
    registry.register(this);
  }

  isReady(): boolean {
    return !this.stopping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
  }

  /** The token Meta's webhook verification must carry. */
  get verifyToken(): string {
    return this.settings.verifyToken;
  }

  get appSecret(): string {
    return this.settings.appSecret;
  }

  /**
   * Handles a verified webhook POST: its patients' messages in order, its statuses beside them.
   * Resolves once they are handled or ANSWER_WITHIN_MS has passed (so a crash before the answer makes
   * Meta deliver it again), to false while shutting down (answer 503: Meta delivers it again later).
   */
  async receive(body: CloudWebhook): Promise<boolean> {
    if (this.stopping) return false;
    // Numbered menus (only where buttons and lists do not fit) are in the database: another instance may have sent them.
    const menus = await this.menus.menus(chatsAnsweringByNumber(body, this.settings.phoneNumberId));
    const events = cloudEvents(body, this.settings.phoneNumberId, (chatId) => menus.get(chatId));
    const work = this.track(this.handleEvents(events));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ANSWER_WITHIN_MS)))]);
    clearTimeout(timer);
    return true;
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  private async handleEvents(events: CloudEvent[]): Promise<void> {
    const statuses: Promise<void>[] = [];
    for (const event of events) {
      if (event.kind === 'status') statuses.push(this.onStatus(event.status));
      else await this.onMessage(event);
    }
    await Promise.all(statuses);
  }

  private async onMessage(event: Extract<CloudEvent, { kind: 'message' }>): Promise<void> {
    try {
      const claim = await this.handled.claim('whatsapp', `wa:${hashId(event.wamid)}`);
      if (!claim) return; // delivered again by Meta: handled already
      try {
        // The window opens first, so the messages that waited for this one can go before its answer.
        await this.windows.opened(event.chatId, new Date(event.at));
        await this.inbound.activity('whatsapp', event.chatId);
        if (event.message && event.message !== 'open_window') await this.inbound.handle(event.message);
      } catch (err) {
        await claim.release();
        throw err;
      }
      await claim.done();
    } catch (err) {
      // The sender's number is in the ids: neither goes to the log.
      const kind = event.message === 'open_window' ? 'template button' : (event.message?.kind ?? 'other');
      this.logger.error(`A WhatsApp ${kind} message failed: ${(err as Error).message}`, (err as Error).stack);
    }
  }

  private async onStatus(status: CloudStatus): Promise<void> {
    try {
      const error = status.errors?.[0];
      const code = Number(error?.code ?? 0);
      if (this.notices.has(status.id)) {
        if (status.status === 'failed')
          this.logger.error(
            `A WhatsApp template was not delivered: ${code} ${error?.title ?? ''} (is it approved in Meta's manager?)`,
          );
        return;
      }
      if (!['sent', 'delivered', 'read', 'failed'].includes(status.status)) return;
      const report: DeliveryReport = {
        channel: 'whatsapp',
        messageId: status.id,
        status: status.status as DeliveryReport['status'],
      };
      if (status.status === 'failed') {
        const { outcome } = errorOutcome(code, 400);
        report.error = { code, title: (error?.title ?? error?.message ?? 'failed').slice(0, 120), outcome };
        // WhatsApp knows best whether the window was open when the message failed.
        if (outcome === 'await_reply' && status.recipient_id)
          await this.windows.closed(chatIdOf(status.recipient_id), new Date(cloudTime(status.timestamp)));
      }
      await this.inbound.deliveryStatus(report);
    } catch (err) {
      this.logger.error(`A WhatsApp status could not be recorded: ${(err as Error).message}`);
    }
  }

  async send(chatId: string, message: OutgoingMessage): Promise<string> {
    if (!(await this.windows.isOpen(chatId))) throw await this.askToWrite(chatId, message);
    try {
      if (message.photo) {
        const mediaId = await this.graph.uploadMedia(message.photo.data, 'image/jpeg');
        return await this.graph.sendMessage({ to: waIdOf(chatId), ...photoMessage(mediaId, message) });
      }
      const listButton = this.i18n.t(message.language ?? 'en', 'menuButton');
      let last = '';
      for (const part of renderCloudMessage(message, listButton)) {
        // Remembered before it goes: a reply may come at once, and a send that fails is sent again.
        if (part.menu || part.body.type === 'interactive') await this.menus.sent(chatId, part.menu);
        last = await this.graph.sendMessage({ to: waIdOf(chatId), ...part.body });
      }
      return last;
    } catch (err) {
      if (err instanceof GraphApiError && err.code === WINDOW_CLOSED) {
        await this.windows.closed(chatId);
        throw await this.askToWrite(chatId, message);
      }
      throw this.sendError(err);
    }
  }

  /**
   * Sends the approved template for the message's notice (no health data in it), which asks the person
   * to write; resolves to the error that makes the outbox keep the message until they do.
   */
  private async askToWrite(chatId: string, message: OutgoingMessage): Promise<AwaitingReplyError> {
    const notice = message.notice ?? { kind: 'message' };
    const template = this.templates.get(notice.kind)!;
    try {
      const wamid = await this.graph.sendMessage({
        to: waIdOf(chatId),
        type: 'template',
        template: templateMessage(template, notice, message.language),
      });
      this.remember(wamid);
    } catch (err) {
      throw this.sendError(err);
    }
    return new AwaitingReplyError('whatsapp', `outside the 24-hour window: template ${template.name} sent`);
  }

  private remember(wamid: string): void {
    if (this.notices.size >= MAX_REMEMBERED_NOTICES) this.notices.delete(this.notices.values().next().value!);
    this.notices.add(wamid);
  }

  private sendError(err: unknown): ChannelSendError {
    if (err instanceof ChannelSendError) return err;
    if (!(err instanceof GraphApiError))
      return new ChannelSendError('whatsapp', `WhatsApp send failed: ${(err as Error).message}`, true);
    const { outcome, retryAfterS } = errorOutcome(err.code, err.status);
    return new ChannelSendError('whatsapp', `Cloud API error ${err.code}: ${err.message}`, outcome !== 'give_up', retryAfterS);
  }

  /**
   * Downloads a patient's photo by its media id: a fresh URL each attempt (a URL expires after
   * minutes), with the token, up to the size cap. An unknown media id has expired (30 days).
   */
  async downloadFile(mediaId: string): Promise<Buffer> {
    let lastError = '';
    for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
      try {
        const info = await this.graph.mediaInfo(mediaId).catch((err: unknown) => {
          // The media id itself is unknown: gone for good (media ids last 30 days), or never ours.
          if (err instanceof GraphApiError && err.status === 404) throw new MediaUnavailableError('whatsapp', 'expired');
          throw err;
        });
        if (info.fileSize && info.fileSize > this.settings.maxMediaBytes) throw new MediaTooLargeError('larger than the cap');
        return await this.graph.download(info.url, this.settings.maxMediaBytes);
      } catch (err) {
        if (err instanceof MediaUnavailableError) throw err;
        if (err instanceof MediaTooLargeError) throw new MediaUnavailableError('whatsapp', 'too_large');
        // An expired URL (404), a network or server failure: a fresh URL, a moment later.
        lastError = (err as Error).message;
        this.logger.debug(`WhatsApp media download attempt ${attempt} failed: ${lastError}`);
        if (attempt < DOWNLOAD_ATTEMPTS) await sleep(attempt * 500);
      }
    }
    this.logger.warn(`A WhatsApp photo could not be downloaded after ${DOWNLOAD_ATTEMPTS} attempts: ${lastError}`);
    throw new MediaUnavailableError('whatsapp', 'not_downloaded');
  }
}
