import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Telegraf, TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup, Update } from 'telegraf/types';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import {
  Button,
  ChannelCapabilities,
  ChannelSendError,
  MediaUnavailableError,
  MESSAGE_SHAPES,
  MessagingChannel,
  OutgoingMessage,
} from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import type { RedisLease } from '@/redis/redis-lease';
import { RedisService } from '@/redis/redis.service';
import { HandledUpdates } from '../shared/handled-updates';
import { splitText } from '../shared/split-text';
import { Inbound } from '@/messaging/inbound';
import { normalizeGroupUpdate, normalizePrivateUpdate, updateChat, updateKey } from './telegram.normalizer';

const CAPTION_LIMIT = 1024;
/** An instance that stops renewing (crash) hands polling to another one after this long. */
const POLL_LEASE_MS = 15_000;
/** Without Redis: how long to wait before polling again after polling failed. */
const POLL_RETRY_MS = 10_000;
const TEXT_LIMIT = 4096;

/** A failure while handling one update; carries the update it came from (never its content in logs). */
export class TelegramUpdateError extends Error {
  override name = 'TelegramUpdateError';
  constructor(
    readonly updateId: number,
    readonly chatId: string | undefined,
    readonly cause: unknown,
  ) {
    super(`Handling update ${updateId} failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * The Telegram channel (telegraf). Long polling by default, webhook when TELEGRAM_WEBHOOK_URL is set.
 * Private chats and the doctors' group are normalised and delivered to {@link Inbound}: patients'
 * messages to the conversation, the group's events to the doctors' inbox.
 */
@Injectable()
export class TelegramAdapter implements MessagingChannel, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly name = 'telegram' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly logger = new Logger(TelegramAdapter.name);
  readonly bot: Telegraf;
  private ready = false;
  private polling?: Promise<void>;
  private lease?: RedisLease;
  private leaseTimer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  /** The last update being handled in each private chat (see {@link route}). */
  private readonly chatTurns = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbound: Inbound,
    registry: ChannelRegistry,
    private readonly handled: HandledUpdates,
    private readonly redis: RedisService,
  ) {
    const tg = config.telegram!;
    // Telegram's limits: about one message per second in a chat, 30 per second overall.
    this.capabilities = {
      ...MESSAGE_SHAPES.telegram,
      maxFileBytes: 20 * 1024 * 1024,
      pacing: { perChatMs: tg.chatIntervalMs, globalPerSecond: tg.globalPerSecond },
    };
    this.bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot, webhookReply: false }, handlerTimeout: 60_000 });
    this.bot.use((ctx) => this.route(ctx.update));
    this.bot.catch((err) => this.onError(err as TelegramUpdateError));
    registry.register(this);
  }

  get doctorsChatId(): string | undefined {
    return this.config.telegram?.doctorsChatId;
  }

  isReady(): boolean {
    return this.ready;
  }

  async onApplicationBootstrap(): Promise<void> {
    const tg = this.config.telegram!;
    this.bot.botInfo = await this.bot.telegram.getMe();
    await this.bot.telegram
      .setMyCommands([
        { command: 'start', description: 'Start / consent' },
        { command: 'status', description: 'My cases' },
        { command: 'language', description: 'Change language' },
        { command: 'delete', description: 'Erase my data' },
        { command: 'help', description: 'How it works' },
      ])
      .catch((err: Error) => this.logger.warn(`setMyCommands failed: ${err.message}`));
    if (tg.webhookUrl) {
      await this.bot.telegram.setWebhook(tg.webhookUrl, {
        secret_token: tg.webhookSecret,
        allowed_updates: ['message', 'callback_query'],
      });
      this.logger.log('Telegram bot started with a webhook');
    } else if (this.redis.shared) {
      // Several instances share the bot: only the holder of the lease polls, so each update is taken once.
      this.lease = this.redis.lease('telegram:poller', POLL_LEASE_MS);
      await this.contendForPolling();
      this.leaseTimer = setInterval(() => void this.contendForPolling(), POLL_LEASE_MS / 3);
      this.leaseTimer.unref();
    } else {
      this.startPolling();
    }
    this.ready = true;
  }

  /** Whether this instance is the one polling Telegram. */
  isPolling(): boolean {
    return this.polling !== undefined;
  }

  private startPolling(): void {
    const polling: Promise<void> = this.bot
      .launch({ allowedUpdates: ['message', 'callback_query'] })
      .catch((err: Error) => this.logger.error(`Telegram polling stopped: ${err.message}`))
      .finally(() => {
        if (this.polling !== polling) return; // stopped on purpose
        // It failed (409: another poller; 401: bad token; getMe or deleteWebhook failed at start).
        // Give the lease up, so whichever instance takes it next polls, or try again in a while alone.
        this.polling = undefined;
        if (this.lease) void this.lease.release();
        else if (!this.stopping) {
          setTimeout(() => {
            if (!this.stopping && !this.polling) this.startPolling();
          }, POLL_RETRY_MS).unref();
        }
      });
    this.polling = polling;
    this.logger.log('Telegram bot started with long polling');
  }

  private async stopPolling(): Promise<void> {
    const polling = this.polling;
    if (!polling) return;
    this.polling = undefined;
    try {
      this.bot.stop('shutdown');
    } catch {
      // polling had already stopped (telegraf throws "Bot is not running!")
    }
    await polling;
  }

  private async contendForPolling(): Promise<void> {
    if (!this.lease || this.stopping) return;
    try {
      if (this.polling) {
        if (!(await this.lease.renew())) {
          this.logger.warn('Lost the Telegram polling lease; another instance polls now');
          await this.stopPolling();
        }
      } else if (await this.lease.acquire()) {
        this.startPolling();
      }
    } catch (err) {
      this.logger.error(`Polling lease check failed: ${(err as Error).message}`);
    }
  }

  /** Graceful shutdown: stop taking updates, then let the ones being handled finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.ready = false;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.stopPolling();
    await this.lease?.release();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Webhook entry (the controller has already checked the secret token). Refused while shutting down. */
  handleWebhookUpdate(update: Update): boolean {
    if (this.stopping) return false;
    const run = this.bot.handleUpdate(update).catch(() => undefined);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return true;
  }

  /**
   * A private chat's updates are handled one after another, in the order they came (telegraf hands a
   * polled batch over at once: a /delete and the press that confirms it must not swap places).
   */
  private route(update: Update): Promise<void> {
    const chat = updateChat(update);
    if (!chat?.private) return this.handle(update, chat);
    const turn = (this.chatTurns.get(chat.id) ?? Promise.resolve()).then(() => this.handle(update, chat));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.chatTurns.set(chat.id, settled);
    void settled.then(() => {
      if (this.chatTurns.get(chat.id) === settled) this.chatTurns.delete(chat.id);
    });
    return turn;
  }

  private async handle(update: Update, chat: ReturnType<typeof updateChat>): Promise<void> {
    const key = updateKey(update);
    try {
      // Delivered again (a crash before Telegram learnt it was handled, or a new poller): once is
      // enough. Claimed before it is handled, so a copy arriving meanwhile waits for this one.
      const claim = key ? await this.handled.claim('telegram', key) : undefined;
      if (key && !claim) {
        this.logger.debug(`Update ${update.update_id} was handled before; skipped`);
        return;
      }
      try {
        await this.dispatch(update, chat);
      } catch (err) {
        await claim?.release();
        throw err;
      }
      await claim?.done();
    } catch (err) {
      throw new TelegramUpdateError(update.update_id, chat?.id, err);
    }
  }

  private async dispatch(update: Update, chat: ReturnType<typeof updateChat>): Promise<void> {
    if ('callback_query' in update) {
      // Answer at once: Telegram drops button presses not acknowledged within ~15 s.
      const isGroup = chat && !chat.private;
      if (!isGroup) await this.acknowledge(update.callback_query.id);
    }
    if (!chat) return;
    if (chat.private) {
      const message = normalizePrivateUpdate(update);
      if (message) await this.inbound.handle(message);
      return;
    }
    if (chat.id === this.doctorsChatId && this.inbound.takesGroupEvents) {
      const event = normalizeGroupUpdate(update);
      if (event) await this.inbound.handleGroupEvent(event);
      return;
    }
    if ('callback_query' in update) await this.acknowledge(update.callback_query.id);
  }

  /** Acknowledges a button press; a failure only leaves the button's spinner a little longer. */
  private async acknowledge(callbackId: string): Promise<void> {
    await this.bot.telegram
      .answerCbQuery(callbackId)
      .catch((err: Error) => this.logger.debug(`answerCallbackQuery failed: ${err.message}`));
  }

  private onError(err: TelegramUpdateError): void {
    this.logger.error(
      `Update ${err.updateId ?? '?'} (chat ${err.chatId ?? '?'}) failed: ${(err.cause as Error)?.message ?? err.message}`,
      (err.cause as Error)?.stack,
    );
  }

  async send(chatId: string, message: OutgoingMessage): Promise<string> {
    const reply_markup = keyboard(message.buttons);
    const reply_parameters = message.replyToMessageId
      ? { message_id: Number(message.replyToMessageId), allow_sending_without_reply: true }
      : undefined;
    return this.call(async () => {
      if (message.photo) {
        const sent = await this.bot.telegram.sendPhoto(
          chatId,
          { source: message.photo.data },
          { caption: message.text.slice(0, CAPTION_LIMIT), has_spoiler: message.photo.spoiler, reply_markup, reply_parameters },
        );
        return String(sent.message_id);
      }
      let last = '';
      const parts = splitText(message.text, TEXT_LIMIT);
      for (const [i, part] of parts.entries()) {
        const sent = await this.bot.telegram.sendMessage(chatId, part, {
          reply_markup: i === parts.length - 1 ? reply_markup : undefined,
          reply_parameters: i === 0 ? reply_parameters : undefined,
          link_preview_options: { is_disabled: true },
        });
        last = String(sent.message_id);
      }
      return last;
    });
  }

  /** Replaces a message's text or caption and buttons (e.g. a case post after a claim). */
  async edit(chatId: string, messageId: string, message: OutgoingMessage, isPhoto: boolean): Promise<void> {
    const reply_markup = keyboard(message.buttons);
    await this.call(async () => {
      try {
        if (isPhoto) {
          await this.bot.telegram.editMessageCaption(chatId, Number(messageId), undefined, message.text.slice(0, CAPTION_LIMIT), {
            reply_markup,
          });
        } else {
          await this.bot.telegram.editMessageText(chatId, Number(messageId), undefined, message.text.slice(0, TEXT_LIMIT), {
            reply_markup,
          });
        }
      } catch (err) {
        if (err instanceof TelegramError && /message is not modified/i.test(err.description)) return;
        throw err;
      }
    });
  }

  /** Acknowledges a button press, optionally with a short notice (an alert when `alert`). */
  async answerAction(callbackId: string, text?: string, alert = false): Promise<void> {
    await this.call(() => this.bot.telegram.answerCbQuery(callbackId, text, { show_alert: alert }));
  }

  async downloadFile(fileRef: string): Promise<Buffer> {
    return this.call(async () => {
      const url = await this.bot.telegram.getFileLink(fileRef).catch((err: unknown) => {
        // The Bot API serves files up to 20 MB; larger ones cannot be fetched at all.
        if (err instanceof TelegramError && /file is too big/i.test(err.description))
          throw new MediaUnavailableError('telegram', 'too_large');
        throw err;
      });
      const res = await fetch(url);
      if (!res.ok) throw new ChannelSendError('telegram', `File download failed with HTTP ${res.status}`, res.status >= 500);
      return Buffer.from(await res.arrayBuffer());
    });
  }

  /** Runs a Bot API call and maps its failure to a {@link ChannelSendError}. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ChannelSendError || err instanceof MediaUnavailableError) throw err;
      if (err instanceof TelegramError) {
        const code = err.code;
        throw new ChannelSendError(
          'telegram',
          `Bot API error ${code}: ${err.description}`,
          code === 429 || code >= 500,
          err.parameters?.retry_after,
        );
      }
      throw new ChannelSendError('telegram', `Network error: ${(err as Error).message}`, true);
    }
  }
}

function keyboard(buttons: Button[][] | undefined): InlineKeyboardMarkup | undefined {
  if (!buttons?.length) return undefined;
  return { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: b.data }))) };
}
