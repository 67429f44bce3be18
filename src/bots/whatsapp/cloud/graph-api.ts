import type { WhatsAppCloudConfig } from '@/config/app-config';

const TIMEOUT_MS = 30_000;

/** An error the Graph API answered (HTTP status and Meta's error code), or a network failure (status 0). */
export class GraphApiError extends Error {
  override name = 'GraphApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A media file's URL and facts (GET /{media-id}); the URL expires after a few minutes. */
export interface MediaInfo {
  url: string;
  mimeType?: string;
  fileSize?: number;
}

/** The file is larger than the cap (said by its size, or found while reading it). */
export class MediaTooLargeError extends Error {
  override name = 'MediaTooLargeError';
}

/**
 * The few Graph API calls of the Cloud API the adapter makes, over HTTPS with the access token:
 * send a message, upload media, look a media id up, download media. Plain fetch, no SDK.
 */
export class GraphApi {
  constructor(private readonly config: WhatsAppCloudConfig) {}

  private url(path: string): string {
    return `${this.config.apiBase}/${this.config.apiVersion}/${path}`;
  }

  /** POST /{phone-number-id}/messages; resolves to the message's wamid. */
  async sendMessage(body: Record<string, unknown>): Promise<string> {
    const answer = await this.json<{ messages?: { id?: string }[] }>(this.url(`${this.config.phoneNumberId}/messages`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }),
    });
    const id = answer.messages?.[0]?.id;
    if (!id) throw new GraphApiError(200, 0, 'The Cloud API accepted a message without giving its id');
    return id;
  }

  /** POST /{phone-number-id}/media (multipart); resolves to the media id to send. */
  async uploadMedia(data: Buffer, mimeType: string): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mimeType);
    form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), 'photo.jpg');
    const answer = await this.json<{ id?: string }>(this.url(`${this.config.phoneNumberId}/media`), {
      method: 'POST',
      body: form,
    });
    if (!answer.id) throw new GraphApiError(200, 0, 'The Cloud API took an upload without giving its id');
    return answer.id;
  }

  /** GET /{media-id}: a fresh URL for a patient's media. */
  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    const answer = await this.json<{ url?: string; mime_type?: string; file_size?: number | string }>(
      this.url(encodeURIComponent(mediaId)),
      { method: 'GET' },
    );
    if (!answer.url) throw new GraphApiError(200, 0, 'The Cloud API gave no URL for a media id');
    const size = Number(answer.file_size);
    return { url: answer.url, mimeType: answer.mime_type, fileSize: Number.isFinite(size) ? size : undefined };
  }

  /** Downloads a media URL (with the token), refusing more than `maxBytes`. */
  async download(url: string, maxBytes: number): Promise<Buffer> {
    const res = await this.request(url, { method: 'GET' });
    if (!res.ok) throw await this.failure(res);
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) throw new MediaTooLargeError('larger than the cap');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) throw new MediaTooLargeError('larger than the cap');
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private async json<T>(url: string, init: RequestInit): Promise<T> {
    const res = await this.request(url, init);
    if (!res.ok) throw await this.failure(res);
    return (await res.json()) as T;
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${this.config.accessToken}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new GraphApiError(0, 0, `Network error: ${(err as Error).message}`);
    }
  }

  /** Meta's error body: `{error: {message, code, error_data: {details}}}`. */
  private async failure(res: Response): Promise<GraphApiError> {
    const body = (await res.json().catch(() => undefined)) as
      { error?: { message?: string; code?: number; error_data?: { details?: string } } } | undefined;
    const error = body?.error;
    const details = error?.error_data?.details ? ` (${error.error_data.details})` : '';
    return new GraphApiError(
      res.status,
      Number(error?.code ?? 0),
      `HTTP ${res.status}: ${error?.message ?? res.statusText}${details}`,
    );
  }
}

/** What an error of the Cloud API means for the message: send later, wait for the person's reply, or give up. */
export type ErrorOutcome = 'retry' | 'await_reply' | 'give_up';

/** Error codes to retry later (throughput, pair rate, spam rate, temporary failures) and how long to wait first (s). */
const RETRY_LATER: Record<number, number> = {
  130429: 2, // throughput reached
  131056: 6, // pair rate limit: too many messages to one person
  131048: 60, // spam rate limit
  4: 60, // application request limit
  80007: 60, // WABA rate limit
  131000: 5, // something went wrong
  131016: 10, // service unavailable
  133004: 10, // server temporarily unavailable
  190: 300, // access token expired or revoked: messages wait until it is replaced
};
/** Outside the 24-hour customer-service window ("re-engagement message"). */
export const WINDOW_CLOSED = 131047;

/** Maps a Cloud API error (code, HTTP status) onto the outbox's typed retry. */
export function errorOutcome(code: number, status: number): { outcome: ErrorOutcome; retryAfterS?: number } {
  if (code === WINDOW_CLOSED) return { outcome: 'await_reply' };
  if (code in RETRY_LATER) return { outcome: 'retry', retryAfterS: RETRY_LATER[code] };
  if (status === 0 || status === 429 || status >= 500) return { outcome: 'retry' };
  return { outcome: 'give_up' };
}
