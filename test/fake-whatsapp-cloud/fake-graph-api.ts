import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

/** A send request as the fake accepted it (validated; fields the fake does not check pass through). */
export interface CloudSendBody {
  messaging_product: 'whatsapp';
  to: string;
  type?: string;
  text?: { body: string; preview_url?: boolean };
  image?: { id: string; caption?: string };
  interactive?: {
    type: 'button' | 'list';
    header?: Record<string, unknown>;
    body: { text: string };
    footer?: { text: string };
    action: {
      buttons?: { type: 'reply'; reply: CloudChoice }[];
      button?: string;
      sections?: { title?: string; rows: CloudChoice[] }[];
    };
  };
  template?: {
    name: string;
    language: { code: string };
    components?: { type: string; parameters?: { type: string; text?: string }[] }[];
  };
  context?: { message_id: string };
  [key: string]: unknown;
}

/** A reply button or a list row. */
export interface CloudChoice {
  id: string;
  title: string;
  description?: string;
}

/** A message the service sent through the fake Cloud API (`POST /{version}/{phoneNumberId}/messages`), accepted with 200. */
export interface SentCloudMessage {
  /** The recipient's wa_id (the `to` of the request, digits only). */
  to: string;
  type: string;
  /** The request body as the service sent it (parsed JSON). */
  body: CloudSendBody;
  /** The message id we answered with. */
  wamid: string;
  at: number;
  /** Set when the message was accepted but then failed (131047: the 24-hour window was closed). */
  failed?: number;
}

export interface CloudStatus {
  id: string;
  status: StatusName;
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string; type: string };
  errors?: unknown[];
}

/** One inbound message as Meta gives it: `type` names the field that carries its content (`text`, `image`, ...). */
export interface CloudInboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from: string; id: string };
  [field: string]: unknown;
}

export interface CloudWebhookValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: CloudInboundMessage[];
  statuses?: CloudStatus[];
}

/** A webhook payload in Meta's shape (one posted by hand with {@link FakeGraphApi.post} may be anything). */
export interface CloudWebhookPayload {
  object: string;
  entry: { id: string; changes: { field: string; value: CloudWebhookValue }[] }[];
}

/** A webhook the fake posted to the service, and the HTTP status it answered. */
export interface WebhookCall {
  payload: CloudWebhookPayload;
  status: number;
  at: number;
}

/** What a user action resolves to: the service's HTTP status, the payload posted, and the user's message id. */
export interface WebhookResult {
  status: number;
  payload: CloudWebhookPayload;
  /** The wamid of the user's message (or of the status, for sendStatus); '' when the payload has none. */
  wamid: string;
}

export type GraphEndpoint = 'messages' | 'media_upload' | 'media_info' | 'media_download';
export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';
export type OtherType = 'sticker' | 'audio' | 'video' | 'location' | 'contacts' | 'reaction' | 'unsupported';

/** Stored media bytes and their mime type. */
export interface CloudMedia {
  data: Buffer;
  mime: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DISPLAY_PHONE = '15550001111';

const WINDOW_ERROR = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
};

/** A numeric Graph id (phone number, WABA and media ids are long digit strings). */
const numericId = (digits = 15) => String(randomInt(1, 10)) + Array.from({ length: digits - 1 }, () => randomInt(10)).join('');
const newWamid = () => `wamid.HBgL${randomBytes(18).toString('hex').toUpperCase()}`;
const unixSeconds = (ms = Date.now()) => String(Math.floor(ms / 1000));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Walking parsed JSON of unknown shape, for validation.
const get = (v: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? (v as unknown[]) : undefined);
const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * A local fake of Meta's WhatsApp Business Platform Cloud API (Graph API) over HTTP on 127.0.0.1:
 * sending messages (text, interactive buttons and lists, image, template) with Meta's validation and
 * 24-hour customer-service window, media upload / info / download, and the webhooks Meta posts to the
 * service (user messages and message statuses), signed with the app secret.
 */
export class FakeGraphApi {
  readonly phoneNumberId = numericId();
  readonly wabaId = numericId();
  readonly accessToken = `EAAG${randomBytes(24).toString('hex')}`;
  readonly appSecret = randomBytes(16).toString('hex');
  /** The token the service must expect in the webhook verification handshake. */
  readonly verifyToken = randomBytes(12).toString('hex');
  /** The business number users write to (`display_phone_number`, and `context.from` of replies). */
  readonly displayPhoneNumber = DISPLAY_PHONE;
  /** Where the service receives webhooks, e.g. http://127.0.0.1:3001/whatsapp/webhook. */
  webhookUrl?: string;
  /** Post statuses after each accepted message ('sent' then 'delivered', or 'failed' outside the window). */
  autoStatuses = true;
  /** How a message outside the 24-hour window fails: accepted then a `failed` status (as Meta does), or a 400. */
  windowFailure: 'async' | 'sync' = 'async';
  readonly sent: SentCloudMessage[] = [];
  readonly webhookCalls: WebhookCall[] = [];
  /** Media the service uploaded: id -> bytes and mime type. */
  readonly uploads = new Map<string, CloudMedia>();
  /** Failures to inject: endpoint -> answers consumed in order, as Graph errors. */
  readonly failures = new Map<GraphEndpoint, { status: number; code: number; message: string }[]>();
  /** Delays to inject: endpoint -> milliseconds every answer waits (a slow Graph API). */
  readonly delays = new Map<GraphEndpoint, number>();
  mediaInfoCalls = 0;
  downloadCalls = 0;
  private server?: http.Server;
  /** Media users sent (their messages carry these ids). */
  private readonly userMedia = new Map<string, CloudMedia>();
  /** Download urls we minted: `ts` -> media id. */
  private readonly mintedUrls = new Map<string, string>();
  private nextTs = 1;
  private expiringDownloads = 0;
  private readonly lastInbound = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private aborter = new AbortController();
  private stopped = false;

  get apiRoot(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.aborter = new AbortController();
    this.server = http.createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Stops serving; pending status webhooks are dropped and webhook requests in flight aborted. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.aborter.abort();
    this.notify();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Sets when a user last wrote to us (opens or closes the 24-hour window). */
  setLastInbound(waId: string, epochMs: number): void {
    this.lastInbound.set(digits(waId), epochMs);
  }

  /** The next `n` media downloads answer 404, as an expired media URL does. */
  expireNextDownloads(n: number): void {
    this.expiringDownloads += n;
  }

  /** Forgets a media id: its info and download then answer 404. */
  removeMedia(id: string): void {
    this.uploads.delete(id);
    this.userMedia.delete(id);
  }

  // ---- what a user does -------------------------------------------------------------------

  /** `timestamp` is unix seconds (a value above 1e11 is taken as milliseconds); `contextId` quotes a message. */
  sendText(from: string, body: string, opts: { timestamp?: number; contextId?: string } = {}): Promise<WebhookResult> {
    const context = opts.contextId ? { context: { from: DISPLAY_PHONE, id: opts.contextId } } : {};
    return this.userMessage(from, { type: 'text', text: { body }, ...context }, opts.timestamp);
  }

  /** The user sends a photo (type image) or an image file (`asDocument`: type document with a filename). */
  sendImage(
    from: string,
    data: Buffer,
    opts: { mime?: string; caption?: string; asDocument?: boolean } = {},
  ): Promise<WebhookResult> {
    const media = {
      ...this.userUpload(data, opts.mime ?? 'image/jpeg'),
      ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
    };
    return opts.asDocument
      ? this.userMessage(from, { type: 'document', document: { filename: 'lesion.jpg', ...media } })
      : this.userMessage(from, { type: 'image', image: media });
  }

  /** Presses a reply button; `contextId` defaults to the latest message to `from` that offered that button id. */
  pressButton(from: string, id: string, title: string, contextId?: string): Promise<WebhookResult> {
    return this.userMessage(from, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id, title } },
      context: { from: DISPLAY_PHONE, id: contextId ?? this.offering(from, id) },
    });
  }

  /** Picks a list row; `contextId` defaults to the latest message to `from` that offered that row id. */
  chooseFromList(from: string, id: string, title: string, description?: string, contextId?: string): Promise<WebhookResult> {
    const list_reply = description !== undefined ? { id, title, description } : { id, title };
    return this.userMessage(from, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply },
      context: { from: DISPLAY_PHONE, id: contextId ?? this.offering(from, id) },
    });
  }

  /** Presses a quick-reply button of the latest template message sent to `from`. */
  pressTemplateButton(from: string, payload: string, text: string): Promise<WebhookResult> {
    const template = [...this.sentTo(from)].reverse().find((m) => m.type === 'template');
    return this.userMessage(from, {
      type: 'button',
      button: { payload, text },
      context: { from: DISPLAY_PHONE, id: template?.wamid ?? newWamid() },
    });
  }

  /** A message that is neither text, photo nor a reply (a reaction reacts to the latest message sent to `from`). */
  sendOther(from: string, type: OtherType): Promise<WebhookResult> {
    const blob = (mime: string) => this.userUpload(randomBytes(64), mime);
    const unknownType = { code: 131051, title: 'Message type unknown', message: 'Message type unknown' };
    const bodies: Record<OtherType, () => Record<string, unknown>> = {
      sticker: () => ({ sticker: { ...blob('image/webp'), animated: false } }),
      audio: () => ({ audio: { ...blob('audio/ogg; codecs=opus'), voice: true } }),
      video: () => ({ video: blob('video/mp4') }),
      location: () => ({ location: { latitude: 52.52, longitude: 13.405, name: 'Clinic', address: 'Berlin' } }),
      contacts: () => ({
        contacts: [
          { name: { formatted_name: 'Jane Doe', first_name: 'Jane' }, phones: [{ phone: '+1 555 0100', type: 'CELL' }] },
        ],
      }),
      reaction: () => ({ reaction: { message_id: this.sentTo(from).at(-1)?.wamid ?? newWamid(), emoji: '\u{1F44D}' } }),
      unsupported: () => ({ errors: [{ ...unknownType, error_data: { details: 'Message type is currently not supported.' } }] }),
    };
    return this.userMessage(from, { type, ...bodies[type]() });
  }

  /** Posts a status webhook by hand (e.g. 'read'); `recipient_id` comes from the sent message when we know it. */
  sendStatus(wamid: string, status: StatusName, errors?: unknown[]): Promise<WebhookResult> {
    const message = this.sent.find((m) => m.wamid === wamid);
    return this.post(this.statusPayload(wamid, status, message, errors));
  }

  /**
   * Posts any payload to the service's webhook and resolves to its answer (rejects when the service
   * cannot be reached). `signature`: undefined = the right one, null = no header, a string = that
   * header value. `rawBody` replaces the serialized payload on the wire (and is what is signed).
   */
  async post(payload: object, opts: { signature?: string | null; rawBody?: string } = {}): Promise<WebhookResult> {
    const raw = opts.rawBody ?? JSON.stringify(payload);
    const signature = opts.signature === undefined ? this.sign(raw) : opts.signature;
    const url = this.webhook();
    this.noteInbound(payload);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(signature !== null ? { 'X-Hub-Signature-256': signature } : {}) },
        body: raw,
        signal: this.aborter.signal,
      });
      await res.arrayBuffer();
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new Error(`FakeGraphApi: webhook POST to ${url} failed: ${String(err)}${cause}`);
    }
    const call = { payload: payload as CloudWebhookPayload, status: res.status, at: Date.now() };
    this.webhookCalls.push(call);
    this.notify();
    const value = FakeGraphApi.value(call.payload);
    return { status: res.status, payload: call.payload, wamid: value?.messages?.[0]?.id ?? value?.statuses?.[0]?.id ?? '' };
  }

  /** Posts the same payload again, byte for byte (Meta retries a webhook the service did not answer with 200). */
  redeliver(payload: object): Promise<WebhookResult> {
    return this.post(payload);
  }

  /** The verification handshake Meta performs when the webhook URL is configured. */
  async verify(mode: string, token: string, challenge: string): Promise<{ status: number; text: string }> {
    const url = new URL(this.webhook());
    url.searchParams.set('hub.mode', mode);
    url.searchParams.set('hub.verify_token', token);
    url.searchParams.set('hub.challenge', challenge);
    const res = await fetch(url, { signal: this.aborter.signal });
    return { status: res.status, text: await res.text() };
  }

  /** `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, as Meta signs webhooks. */
  sign(rawBody: string | Buffer): string {
    return `sha256=${createHmac('sha256', this.appSecret).update(rawBody).digest('hex')}`;
  }

  /** The first change's value of a payload (where messages and statuses are). */
  static value(payload: CloudWebhookPayload): CloudWebhookValue | undefined {
    return get(payload, 'entry', '0', 'changes', '0', 'value') as CloudWebhookValue | undefined;
  }

  private webhook(): string {
    if (!this.webhookUrl) throw new Error('FakeGraphApi.webhookUrl is not set');
    return this.webhookUrl;
  }

  private envelope(value: Omit<CloudWebhookValue, 'messaging_product' | 'metadata'>): CloudWebhookPayload {
    const metadata = { display_phone_number: DISPLAY_PHONE, phone_number_id: this.phoneNumberId };
    return {
      object: 'whatsapp_business_account',
      entry: [
        { id: this.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } }] },
      ],
    };
  }

  private userMessage(
    from: string,
    fields: { type: string } & Record<string, unknown>,
    timestamp?: number,
  ): Promise<WebhookResult> {
    const ms = timestamp === undefined ? Date.now() : timestamp > 1e11 ? timestamp : timestamp * 1000;
    const message: CloudInboundMessage = { from, id: newWamid(), timestamp: unixSeconds(ms), ...fields };
    return this.post(this.envelope({ contacts: [{ profile: { name: 'Patient' }, wa_id: from }], messages: [message] }));
  }

  /** Registers bytes a user sends; returns the media fields of the message (webhooks carry a base64 sha256). */
  private userUpload(data: Buffer, mime: string): { mime_type: string; sha256: string; id: string } {
    const id = numericId(16);
    this.userMedia.set(id, { data, mime });
    return { mime_type: mime, sha256: createHash('sha256').update(data).digest('base64'), id };
  }

  /** The latest message to `waId` offering a button or list row with this id. */
  private offering(waId: string, id: string): string {
    const found = [...this.sentTo(waId)].reverse().find((m) => FakeGraphApi.choices(m).some((c) => c.id === id));
    return found?.wamid ?? newWamid();
  }

  /** Every user message the fake posts opens that user's 24-hour window from its timestamp. */
  private noteInbound(payload: object): void {
    for (const entry of list(get(payload, 'entry')) ?? [])
      for (const change of list(get(entry, 'changes')) ?? [])
        for (const m of list(get(change, 'value', 'messages')) ?? []) {
          const ms = Number(get(m, 'timestamp')) * 1000;
          const key = digits(String(get(m, 'from')));
          if (Number.isFinite(ms) && ms > (this.lastInbound.get(key) ?? 0)) this.lastInbound.set(key, ms);
        }
  }

  private statusPayload(wamid: string, status: StatusName, message?: SentCloudMessage, errors?: unknown[]): CloudWebhookPayload {
    const category = message?.type === 'template' ? 'utility' : 'service';
    const billed =
      status === 'sent' || status === 'delivered'
        ? {
            conversation: { id: randomBytes(16).toString('hex'), origin: { type: category } },
            pricing: { billable: category !== 'service', pricing_model: 'PMP', category, type: 'regular' },
          }
        : {};
    const st: CloudStatus = { id: wamid, status, timestamp: unixSeconds(), recipient_id: message?.to ?? '', ...billed };
    if (errors) st.errors = errors;
    return this.envelope({ statuses: [st] });
  }

  /** Status webhooks for an accepted message, posted in order after its answer; failures are logged, never thrown. */
  private async postStatuses(message: SentCloudMessage): Promise<void> {
    const steps: [StatusName, unknown[]?][] = message.failed ? [['failed', [WINDOW_ERROR]]] : [['sent'], ['delivered']];
    for (const [status, errors] of steps) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, 5);
        this.timers.add(t);
      });
      if (this.stopped) return;
      try {
        await this.post(this.statusPayload(message.wamid, status, message, errors));
      } catch (err) {
        if (!this.stopped) console.warn(`FakeGraphApi: status '${status}' for ${message.wamid} not delivered: ${String(err)}`);
      }
    }
  }

  // ---- what the service did -----------------------------------------------------------------

  sentTo(waId: string): SentCloudMessage[] {
    return this.sent.filter((m) => m.to === digits(waId));
  }

  /** Text bodies, interactive body texts, captions, and `template:<name>:<lang>:<p1>|<p2>` for templates. */
  textsTo(waId: string): string[] {
    return this.sentTo(waId).map((m) => FakeGraphApi.text(m));
  }

  /** The text of one sent message, as {@link textsTo} gives it. */
  static text(m: SentCloudMessage): string {
    const b = m.body;
    if (b.template) {
      const params = (b.template.components ?? [])
        .filter((c) => c.type === 'body')
        .flatMap((c) => c.parameters ?? [])
        .map((p) => String(p.text));
      return `template:${b.template.name}:${b.template.language.code}:${params.join('|')}`;
    }
    return b.text?.body ?? b.interactive?.body.text ?? b.image?.caption ?? '';
  }

  /** The reply buttons or list rows an interactive message offers. */
  static choices(m: SentCloudMessage): CloudChoice[] {
    const action = m.type === 'interactive' ? m.body.interactive?.action : undefined;
    return [...(action?.buttons ?? []).map((b) => b.reply), ...(action?.sections ?? []).flatMap((s) => s.rows)];
  }

  /** Waits until a message the service sent matches (or fails after `timeoutMs`, listing what was sent). */
  waitForMessage(
    pred: (m: SentCloudMessage) => boolean,
    timeoutMs = 15_000,
    what = 'a matching message',
  ): Promise<SentCloudMessage> {
    return this.waitFor(
      () => this.sent.find(pred),
      timeoutMs,
      () =>
        `Timed out waiting for ${what}. Sent so far:\n${listing(this.sent.map((m) => `${m.to} ${m.type}: ${FakeGraphApi.text(m)}`))}`,
    );
  }

  /** Waits for a message to `waId` whose text (see {@link textsTo}) matches. */
  waitForText(waId: string, pattern: RegExp, timeoutMs = 15_000): Promise<SentCloudMessage> {
    return this.waitFor(
      () => this.sentTo(waId).find((m) => pattern.test(FakeGraphApi.text(m))),
      timeoutMs,
      () => `Timed out waiting for a message to ${waId} matching ${pattern}. Sent to ${waId}:\n${listing(this.textsTo(waId))}`,
    );
  }

  /** Waits until a webhook the fake posted (and the service answered) matches. */
  waitForWebhook(pred: (c: WebhookCall) => boolean, timeoutMs = 15_000): Promise<WebhookCall> {
    const brief = (c: WebhookCall) => `${c.status} ${JSON.stringify(FakeGraphApi.value(c.payload) ?? c.payload)}`;
    return this.waitFor(
      () => this.webhookCalls.find(pred),
      timeoutMs,
      () => `Timed out waiting for a matching webhook. Posted so far:\n${listing(this.webhookCalls.map(brief))}`,
    );
  }

  private async waitFor<T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.stopped) throw new Error(describe());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/').filter(Boolean);
      const versioned = parts.length > 1 && /^v\d+\.\d+$/.test(parts[0]);
      let endpoint: GraphEndpoint | undefined;
      if (req.method === 'GET' && parts.length === 2 && parts[0] === 'media-download') endpoint = 'media_download';
      else if (req.method === 'GET' && versioned && parts.length === 2) endpoint = 'media_info';
      else if (req.method === 'POST' && versioned && parts.length === 3 && parts[2] === 'messages') endpoint = 'messages';
      else if (req.method === 'POST' && versioned && parts.length === 3 && parts[2] === 'media') endpoint = 'media_upload';
      if (!endpoint) {
        req.resume();
        return this.graphError(res, 404, 100, `Unknown path components: ${url.pathname}`);
      }
      if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
        req.resume();
        return this.graphError(res, 401, 190, 'Invalid OAuth access token');
      }
      if (endpoint === 'media_info') this.mediaInfoCalls++;
      if (endpoint === 'media_download') this.downloadCalls++;
      const delay = this.delays.get(endpoint);
      if (delay) await sleep(delay);
      const injected = this.failures.get(endpoint)?.shift();
      if (injected) {
        req.resume();
        return this.graphError(res, injected.status, injected.code, injected.message, injected.message);
      }
      if ((endpoint === 'messages' || endpoint === 'media_upload') && parts[1] !== this.phoneNumberId) {
        req.resume();
        return this.graphError(res, 400, 100, `Unsupported post request. Object with ID '${parts[1]}' does not exist`);
      }
      switch (endpoint) {
        case 'messages':
          return await this.messages(req, res);
        case 'media_upload':
          return await this.upload(req, res);
        case 'media_info':
          return this.mediaInfo(parts[1], res);
        case 'media_download':
          return this.download(parts[1], url.searchParams.get('ts') ?? '', res);
      }
    } catch (err) {
      if (!res.headersSent) this.graphError(res, 500, 1, `An unknown error occurred: ${String(err)}`);
    }
  }

  private async messages(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      return this.graphError(res, 400, 100, '(#100) Invalid parameter', 'The request body is not valid JSON');
    }
    const type = String(get(parsed, 'type') ?? 'text'); // Meta defaults a missing type to text
    const invalid = this.validate(parsed, type);
    if (invalid) return this.graphError(res, 400, 100, '(#100) Invalid parameter', invalid);
    const body = parsed as CloudSendBody;
    const to = digits(body.to);
    const last = this.lastInbound.get(to);
    const windowClosed = type !== 'template' && (last === undefined || Date.now() - last > DAY_MS);
    if (windowClosed && this.windowFailure === 'sync')
      return this.graphError(res, 400, 131047, '(#131047) Re-engagement message', WINDOW_ERROR.error_data.details);
    const message: SentCloudMessage = { to, type, body, wamid: newWamid(), at: Date.now() };
    if (windowClosed) message.failed = 131047;
    this.sent.push(message);
    this.notify();
    // Like Meta, statuses come after the answer has been written.
    res.once('finish', () => {
      if (this.autoStatuses) void this.postStatuses(message);
    });
    this.reply(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: to }],
      messages: [{ id: message.wamid }],
    });
  }

  /** What is wrong with a send request, as Meta's `error_data.details` would say it; undefined when valid. */
  private validate(b: unknown, type: string): string | undefined {
    if (get(b, 'messaging_product') !== 'whatsapp') return "The parameter messaging_product is required and must be 'whatsapp'";
    const to = get(b, 'to');
    if (typeof to !== 'string' || !/^\+?[\d\s-]{5,20}$/.test(to))
      return 'The parameter to is required and must be a phone number';
    switch (type) {
      case 'text':
        return str(get(b, 'text', 'body'), 4096) ? undefined : 'text.body is required and must be 1-4096 characters';
      case 'image': {
        const id = get(b, 'image', 'id');
        const caption = get(b, 'image', 'caption');
        if (typeof id !== 'string') return 'image.id is required (an uploaded media id)';
        if (!this.uploads.has(id)) return `image.id ${id} is not an uploaded media id`;
        if (caption !== undefined && !str(caption, 1024)) return 'image.caption must be 1-1024 characters';
        return undefined;
      }
      case 'template': {
        if (!str(get(b, 'template', 'name'), 512)) return 'template.name is required';
        if (!str(get(b, 'template', 'language', 'code'), 15)) return 'template.language.code is required';
        const components = get(b, 'template', 'components');
        if (components !== undefined && !list(components)) return 'template.components must be an array';
        for (const c of list(components) ?? []) {
          const params = get(c, 'parameters');
          if (params !== undefined && !list(params)) return 'template component parameters must be an array';
          if (
            get(c, 'type') === 'body' &&
            !(list(params) ?? []).every((p) => get(p, 'type') === 'text' && str(get(p, 'text'), 32768))
          )
            return 'template body parameters must be {type:"text", text} with non-empty text';
        }
        return undefined;
      }
      case 'interactive':
        return this.validateInteractive(get(b, 'interactive'));
      default:
        return `Unsupported message type: ${type}`;
    }
  }

  private validateInteractive(i: unknown): string | undefined {
    const footer = get(i, 'footer');
    if (footer !== undefined && !str(get(footer, 'text'), 60)) return 'interactive.footer.text must be 1-60 characters';
    const bodyText = get(i, 'body', 'text');
    if (get(i, 'type') === 'button') {
      if (!str(bodyText, 1024)) return 'interactive.body.text is required and must be 1-1024 characters';
      const buttons = list(get(i, 'action', 'buttons'));
      if (!buttons || buttons.length < 1 || buttons.length > 3) return 'interactive.action.buttons must have 1-3 buttons';
      for (const btn of buttons) {
        if (get(btn, 'type') !== 'reply') return "interactive.action.buttons[].type must be 'reply'";
        if (!str(get(btn, 'reply', 'id'), 256)) return 'button reply.id is required and must be at most 256 characters';
        const title = get(btn, 'reply', 'title');
        if (!str(title, 20)) return `button reply.title must be 1-20 characters: ${JSON.stringify(title)}`;
      }
      const ids = buttons.map((btn) => get(btn, 'reply', 'id'));
      const titles = buttons.map((btn) => get(btn, 'reply', 'title'));
      if (new Set(ids).size !== ids.length || new Set(titles).size !== titles.length)
        return 'button ids and titles must be unique';
      return undefined;
    }
    if (get(i, 'type') === 'list') {
      if (!str(bodyText, 4096)) return 'interactive.body.text is required and must be 1-4096 characters';
      const button = get(i, 'action', 'button');
      if (!str(button, 20)) return `interactive.action.button must be 1-20 characters: ${JSON.stringify(button)}`;
      const sections = list(get(i, 'action', 'sections'));
      if (!sections || sections.length < 1 || sections.length > 10) return 'interactive.action.sections must have 1-10 sections';
      if (sections.length > 1 && !sections.every((s) => str(get(s, 'title'), 24)))
        return 'each section needs a title of 1-24 characters';
      const rows = sections.flatMap((s) => list(get(s, 'rows')) ?? []);
      if (rows.length < 1 || rows.length > 10) return `a list must have 1-10 rows in total, got ${rows.length}`;
      for (const row of rows) {
        const [title, description] = [get(row, 'title'), get(row, 'description')];
        if (!str(get(row, 'id'), 200)) return 'row id is required and must be at most 200 characters';
        if (!str(title, 24)) return `row title must be 1-24 characters: ${JSON.stringify(title)}`;
        if (description !== undefined && (typeof description !== 'string' || description.length > 72))
          return `row description must be at most 72 characters: ${JSON.stringify(description)}`;
      }
      if (new Set(rows.map((r) => get(r, 'id'))).size !== rows.length) return 'row ids must be unique';
      return undefined;
    }
    return `Unsupported interactive type: ${JSON.stringify(get(i, 'type'))}`;
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      req.resume();
      return this.graphError(res, 400, 100, '(#100) Invalid parameter', 'The media upload must be multipart/form-data');
    }
    const fields: Record<string, string> = {};
    let file: CloudMedia | undefined;
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: req.headers });
      bb.on('field', (name, value) => (fields[name] = value));
      bb.on('file', (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (name === 'file') file = { data: Buffer.concat(chunks), mime: info.mimeType };
        });
      });
      bb.on('close', resolve);
      bb.on('error', reject);
      req.pipe(bb);
    });
    if (fields.messaging_product !== 'whatsapp')
      return this.graphError(
        res,
        400,
        100,
        '(#100) Invalid parameter',
        "The parameter messaging_product is required and must be 'whatsapp'",
      );
    if (!file?.data.length) return this.graphError(res, 400, 100, '(#100) Invalid parameter', 'The parameter file is required');
    const id = numericId(16);
    this.uploads.set(id, { data: file.data, mime: fields.type || file.mime });
    this.reply(res, 200, { id });
  }

  private mediaInfo(id: string, res: http.ServerResponse): void {
    const media = this.uploads.get(id) ?? this.userMedia.get(id);
    if (!media) {
      const message = `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`;
      return this.graphError(res, 404, 100, message);
    }
    const ts = String(this.nextTs++); // every call mints a fresh url
    this.mintedUrls.set(ts, id);
    this.reply(res, 200, {
      messaging_product: 'whatsapp',
      url: `${this.apiRoot}/media-download/${id}?ts=${ts}`,
      mime_type: media.mime,
      sha256: createHash('sha256').update(media.data).digest('hex'),
      file_size: media.data.length,
      id,
    });
  }

  private download(id: string, ts: string, res: http.ServerResponse): void {
    const media = this.uploads.get(id) ?? this.userMedia.get(id);
    if (this.expiringDownloads > 0) {
      this.expiringDownloads--;
      return this.graphError(res, 404, 100, 'The media URL has expired');
    }
    if (!media || this.mintedUrls.get(ts) !== id) return this.graphError(res, 404, 100, `Media ${id} not found`);
    res.writeHead(200, { 'Content-Type': media.mime, 'Content-Length': media.data.length }).end(media.data);
  }

  /** Answers a Graph API error: `{error: {message, type, code, error_data?, fbtrace_id}}`. */
  private graphError(res: http.ServerResponse, status: number, code: number, message: string, details?: string): void {
    const error_data = details !== undefined ? { error_data: { messaging_product: 'whatsapp', details } } : {};
    this.reply(res, status, {
      error: { message, type: 'OAuthException', code, ...error_data, fbtrace_id: randomBytes(9).toString('base64url') },
    });
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}

function digits(waId: string): string {
  return waId.replace(/\D/g, '');
}

function listing(lines: string[]): string {
  return lines.length ? lines.map((l) => `  ${l.slice(0, 160)}`).join('\n') : '  (nothing)';
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
