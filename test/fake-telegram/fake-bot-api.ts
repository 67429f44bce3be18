import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

/** A call the bot made to the fake Bot API. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Files uploaded with the call (e.g. sendPhoto's `photo`). */
  files: Record<string, Buffer>;
  /** The message id we answered with, for send* calls. */
  messageId?: number;
  at: number;
  /** When the answer had been written to the bot's connection; unset while held, or when the bot died first. */
  answeredAt?: number;
}

/**
 * What a held call stands for when the bot's connection closes before it is answered (the bot was
 * killed): `accepted`, Telegram had already carried it out (the message is delivered, the bot never
 * learns it); `unaccepted`, the request had not been carried out yet (nothing is delivered).
 */
export type HoldMode = 'accepted' | 'unaccepted';

interface Hold {
  match: (method: string, params: Record<string, unknown>) => boolean;
  mode: HoldMode;
  arrived: (call: ApiCall) => void;
}

interface StoredFile {
  path: string;
  data: Buffer;
}

/**
 * A local fake of the Telegram Bot API over HTTP on 127.0.0.1: enough of getMe, getUpdates (long
 * polling), sendMessage, sendPhoto (multipart), getFile, /file/bot<token>/<path>, answerCallbackQuery,
 * editMessage* and friends for the real telegraf to run against it.
 */
export class FakeBotApi {
  readonly token = `123456:${randomBytes(18).toString('hex')}`;
  readonly calls: ApiCall[] = [];
  private server?: http.Server;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private readonly files = new Map<string, StoredFile>();
  private waiters: (() => void)[] = [];
  private callWaiters: (() => void)[] = [];
  /** Failures to inject: method -> list of {code, description, retry_after} consumed in order. */
  readonly failures = new Map<string, { code: number; description: string; retryAfter?: number }[]>();
  /** Delays to inject: method -> milliseconds the next answers wait (a slow Telegram). */
  readonly delays = new Map<string, number>();
  /** How many getUpdates calls the bot made (a bot that polls is up). */
  polls = 0;
  private holds: Hold[] = [];

  get apiRoot(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.waiters.splice(0).forEach((w) => w());
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- what a user does -------------------------------------------------------------------

  pushUpdate(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    this.waiters.splice(0).forEach((w) => w());
    return update_id;
  }

  /**
   * Delivers the same message again. Telegram re-sends an unconfirmed update after a crash; a bot
   * that polls on has moved its offset past the old id, so the copy arrives under a new update_id.
   */
  redeliver(update: Record<string, unknown>): void {
    const { update_id: _old, ...rest } = update;
    this.pushUpdate(rest);
  }

  /**
   * Holds the next call that matches: it is not answered until the bot's connection closes (the bot
   * is killed while the call is in flight), and resolves to the call once it has arrived. `mode` says
   * whether Telegram had carried it out by then. Cancel with {@link cancelHolds}.
   */
  holdNext(match: (method: string, params: Record<string, unknown>) => boolean, mode: HoldMode): Promise<ApiCall> {
    return new Promise((arrived) => this.holds.push({ match, mode, arrived }));
  }

  /** Drops holds that have not caught a call yet. */
  cancelHolds(): void {
    this.holds = [];
  }

  private user(chatId: number, extra: Record<string, unknown> = {}) {
    return { id: chatId, is_bot: false, first_name: `Patient${chatId}`, language_code: 'en', ...extra };
  }

  private chat(chatId: number) {
    return chatId < 0
      ? { id: chatId, type: 'supergroup', title: 'Doctors' }
      : { id: chatId, type: 'private', first_name: `Patient${chatId}` };
  }

  message(
    chatId: number,
    fields: Record<string, unknown>,
    from: Record<string, unknown> = this.user(chatId),
  ): { update: Record<string, unknown>; messageId: number } {
    const messageId = this.nextMessageId++;
    const update = {
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: this.chat(chatId), from, ...fields },
    };
    const update_id = this.pushUpdate(update);
    return { update: { update_id, ...update }, messageId };
  }

  sendText(chatId: number, text: string, from?: Record<string, unknown>, replyTo?: number): number {
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }] : undefined;
    const reply = replyTo ? { reply_to_message: this.repliedTo(chatId, replyTo) } : {};
    return this.message(chatId, { text, entities, ...reply }, from ? this.user(Number(from.id), from) : undefined).messageId;
  }

  /** The message a reply quotes, as Telegram gives it: with its text or caption and buttons when the bot sent it. */
  repliedTo(chatId: number, messageId: number): Record<string, unknown> {
    const sent = this.calls.find((c) => c.messageId === messageId);
    const markup =
      typeof sent?.params.reply_markup === 'string'
        ? (JSON.parse(sent.params.reply_markup) as unknown)
        : sent?.params.reply_markup;
    return {
      message_id: messageId,
      date: 0,
      chat: this.chat(chatId),
      ...(sent
        ? {
            from: { id: 123456, is_bot: true, first_name: 'DermLink' },
            text: sent.params.text,
            caption: sent.params.caption,
            reply_markup: markup,
          }
        : {}),
    };
  }

  /** The user sends a photo (compressed, `photo` sizes) or an image document (`asDocument`). */
  sendPhoto(
    chatId: number,
    data: Buffer,
    opts: { asDocument?: boolean; mime?: string } = {},
  ): { update: Record<string, unknown>; messageId: number } {
    const fileId = `file-${randomBytes(6).toString('hex')}`;
    this.files.set(fileId, { path: `photos/${fileId}.jpg`, data });
    const fields = opts.asDocument
      ? {
          document: {
            file_id: fileId,
            file_unique_id: fileId,
            file_name: 'lesion.jpg',
            mime_type: opts.mime ?? 'image/jpeg',
            file_size: data.length,
          },
        }
      : {
          photo: [
            { file_id: `${fileId}-small`, file_unique_id: 's', width: 90, height: 90, file_size: 100 },
            { file_id: fileId, file_unique_id: fileId, width: 1280, height: 960, file_size: data.length },
          ],
        };
    return this.message(chatId, fields);
  }

  pressButton(chatId: number, data: string, messageId: number, from?: Record<string, unknown>): void {
    this.pushUpdate({
      callback_query: {
        id: randomBytes(6).toString('hex'),
        from: from ? this.user(Number(from.id), from) : this.user(chatId),
        chat_instance: 'ci',
        data,
        message: { message_id: messageId, date: 0, chat: this.chat(chatId), text: '' },
      },
    });
  }

  // ---- what the bot did ---------------------------------------------------------------------

  sent(chatId: number | string): ApiCall[] {
    return this.calls.filter((c) => c.messageId !== undefined && String(c.params.chat_id) === String(chatId));
  }

  textsTo(chatId: number | string): string[] {
    return this.sent(chatId).map((c) => String(c.params.text ?? c.params.caption ?? ''));
  }

  /** Waits until a call matches (or fails after `timeoutMs`). */
  async waitForCall(match: (c: ApiCall) => boolean, timeoutMs = 30_000, what = 'a matching Bot API call'): Promise<ApiCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.calls.map(
          (c) =>
            `${c.method}(${String(c.params.chat_id ?? '')}): ${String(c.params.text ?? c.params.caption ?? '').slice(0, 60)}`,
        );
        throw new Error(`Timed out waiting for ${what}. Calls so far:\n${seen.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.callWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for a message to a chat whose text matches. */
  waitForText(chatId: number | string, pattern: RegExp, timeoutMs?: number): Promise<ApiCall> {
    return this.waitForCall(
      (c) =>
        c.messageId !== undefined &&
        String(c.params.chat_id) === String(chatId) &&
        pattern.test(String(c.params.text ?? c.params.caption ?? '')),
      timeoutMs,
      `a message to ${chatId} matching ${pattern}`,
    );
  }

  /** The inline buttons of a sent message, as `[label, data]`. */
  static buttons(call: ApiCall): [string, string][] {
    const markup = (
      typeof call.params.reply_markup === 'string' ? JSON.parse(call.params.reply_markup) : call.params.reply_markup
    ) as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
    return (markup?.inline_keyboard ?? []).flat().map((b) => [b.text, b.callback_data]);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = [...this.files.values()].find((f) => f.path === fileMatch[2]);
      if (fileMatch[1] !== this.token || !file)
        return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(file.data);
      return;
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2];
    const { params, files } = await this.parse(req, url);
    const call: ApiCall = { method, params, files, at: Date.now() };
    const hold = this.holds.find((h) => h.match(method, params));
    if (hold) {
      this.holds.splice(this.holds.indexOf(hold), 1);
      return this.holdUntilClosed(hold, call, res);
    }
    const delay = this.delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const injected = this.failures.get(method)?.shift();
    if (injected) {
      return this.reply(res, injected.code, {
        ok: false,
        error_code: injected.code,
        description: injected.description,
        parameters: injected.retryAfter ? { retry_after: injected.retryAfter } : undefined,
      });
    }
    const result = await this.handle(call);
    if (result === undefined)
      return this.reply(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    res.once('finish', () => (call.answeredAt = Date.now()));
    this.reply(res, 200, { ok: true, result });
  }

  /** A held call: carried out at once (`accepted`) or never, and not answered until the connection closes. */
  private async holdUntilClosed(hold: Hold, call: ApiCall, res: http.ServerResponse): Promise<void> {
    if (hold.mode === 'accepted') await this.handle(call);
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    hold.arrived(call);
    await closed;
  }

  private async handle(call: ApiCall): Promise<unknown> {
    const { method, params } = call;
    if (method === 'getUpdates') this.polls++;
    else {
      this.calls.push(call);
      this.callWaiters.splice(0).forEach((w) => w());
    }
    switch (method) {
      case 'getMe':
        return { id: 123456, is_bot: true, first_name: 'DermLink', username: 'dermlink_test_bot', can_join_groups: true };
      case 'getUpdates':
        return this.getUpdates(params);
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'answerCallbackQuery':
      case 'sendChatAction':
        return true;
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument': {
        call.messageId = this.nextMessageId++;
        return {
          message_id: call.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: this.chat(Number(params.chat_id)),
          text: params.text,
          caption: params.caption,
        };
      }
      case 'editMessageText':
      case 'editMessageCaption':
      case 'editMessageReplyMarkup':
        return { message_id: Number(params.message_id), date: 0, chat: this.chat(Number(params.chat_id)) };
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) return { file_id: params.file_id, file_unique_id: 'x', file_path: 'photos/missing.jpg' };
        return { file_id: params.file_id, file_unique_id: 'x', file_size: file.data.length, file_path: file.path };
      }
      default:
        return undefined;
    }
  }

  private async getUpdates(params: Record<string, unknown>): Promise<unknown[]> {
    const offset = Number(params.offset ?? 0);
    this.updates = this.updates.filter((u) => Number(u.update_id) >= offset);
    const timeoutS = Math.min(Number(params.timeout ?? 0), 1); // answer fast in tests; telegraf polls again
    if (!this.updates.length && timeoutS > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutS * 1000);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const limit = Number(params.limit ?? 100);
    return this.updates.filter((u) => Number(u.update_id) >= offset).slice(0, limit);
  }

  private parse(
    req: http.IncomingMessage,
    url: URL,
  ): Promise<{ params: Record<string, unknown>; files: Record<string, Buffer> }> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const files: Record<string, Buffer> = {};
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      return new Promise((resolve, reject) => {
        const bb = busboy({ headers: req.headers });
        bb.on('field', (name, value) => (params[name] = tryJson(value)));
        bb.on('file', (name, stream) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => (files[name] = Buffer.concat(chunks)));
        });
        bb.on('close', () => resolve({ params, files }));
        bb.on('error', reject);
        req.pipe(bb);
      });
    }
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body && type.includes('json')) Object.assign(params, JSON.parse(body));
        else if (body) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
        resolve({ params, files });
      });
    });
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}

function tryJson(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
