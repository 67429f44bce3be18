import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChannelSendError, MediaUnavailableError, MessagingChannel, OutgoingMessage } from '../channel.port';
import { ChannelRegistry } from '../channel.registry';

/** A message as the "try it" page shows it. */
export interface WebMessage {
  seq: number;
  text: string;
  buttons?: { label: string; data: string }[][];
}

interface Session {
  messages: WebMessage[];
  files: Map<string, Buffer>;
  touched: number;
}

const MAX_SESSIONS = 1000;
const MAX_MESSAGES = 200;
const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * The web channel behind the "try it" page: a browser session is a chat. Outgoing messages are kept
 * in memory for the page to fetch; uploaded photos are held until the journey downloads them.
 */
@Injectable()
export class WebChannel implements MessagingChannel {
  readonly name = 'web' as const;
  readonly capabilities = { buttons: true, compact: false };
  private readonly sessions = new Map<string, Session>();

  constructor(registry: ChannelRegistry) {
    registry.register(this);
  }

  isReady(): boolean {
    return true;
  }

  createSession(): string {
    this.evict();
    const id = randomBytes(16).toString('hex');
    this.sessions.set(id, { messages: [], files: new Map(), touched: Date.now() });
    return id;
  }

  hasSession(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Keeps an uploaded photo and returns the reference the journey will download it by. */
  holdFile(sessionId: string, data: Buffer): string {
    const session = this.session(sessionId);
    const ref = `${sessionId}:${randomBytes(8).toString('hex')}`;
    session.files.set(ref, data);
    return ref;
  }

  messagesAfter(sessionId: string, after: number): WebMessage[] {
    return this.session(sessionId).messages.filter((m) => m.seq > after);
  }

  send(chatId: string, message: OutgoingMessage): Promise<string> {
    const session = this.sessions.get(chatId);
    if (!session) return Promise.reject(new ChannelSendError('web', 'The web session has expired', false));
    const seq = (session.messages.at(-1)?.seq ?? 0) + 1;
    session.messages.push({ seq, text: message.text, buttons: message.buttons });
    if (session.messages.length > MAX_MESSAGES) session.messages.shift();
    session.touched = Date.now();
    return Promise.resolve(String(seq));
  }

  downloadFile(fileRef: string): Promise<Buffer> {
    const [sessionId] = fileRef.split(':');
    const data = this.sessions.get(sessionId)?.files.get(fileRef);
    if (!data) return Promise.reject(new MediaUnavailableError('web', 'expired'));
    this.sessions.get(sessionId)!.files.delete(fileRef);
    return Promise.resolve(data);
  }

  private session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new ChannelSendError('web', 'Unknown or expired session', false);
    session.touched = Date.now();
    return session;
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.touched > SESSION_TTL_MS) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }
}
