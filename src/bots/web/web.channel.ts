import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisService } from '@/redis/redis.service';
import {
  ChannelSendError,
  MediaUnavailableError,
  MESSAGE_SHAPES,
  MessagingChannel,
  OutgoingMessage,
} from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { MemoryWebSessions, RedisWebSessions, WebMessage, WebSessions } from './web-sessions';

export type { WebMessage } from './web-sessions';

/** How long an uploaded photo waits for the journey to take it (it does so within the same request). */
const FILE_TTL_MS = 10 * 60 * 1000;

/**
 * The web channel behind the "try it" page: a browser session is a chat. Sessions and the messages
 * waiting for the page are in {@link WebSessions} (Redis when configured, so any instance can send a
 * reply and any instance can serve the page's poll). An uploaded photo stays in this process: the
 * request that brings it hands it to the journey, which downloads it on the same instance.
 */
@Injectable()
export class WebChannel implements MessagingChannel {
  readonly name = 'web' as const;
  readonly capabilities = MESSAGE_SHAPES.web;
  private readonly sessions: WebSessions;
  private readonly files = new Map<string, { data: Buffer; at: number }>();

  constructor(registry: ChannelRegistry, redis: RedisService) {
    this.sessions = redis.choose<WebSessions>(
      'web:',
      () => new MemoryWebSessions(),
      (connection, prefix) => new RedisWebSessions(connection, prefix),
    );
    registry.register(this);
  }

  isReady(): boolean {
    return true;
  }

  async createSession(): Promise<string> {
    const id = randomBytes(16).toString('hex');
    await this.sessions.create(id);
    return id;
  }

  hasSession(id: string): Promise<boolean> {
    return this.sessions.exists(id);
  }

  /** Keeps an uploaded photo and returns the reference the journey will download it by. */
  holdFile(sessionId: string, data: Buffer): string {
    const now = Date.now();
    for (const [ref, f] of this.files) if (now - f.at > FILE_TTL_MS) this.files.delete(ref);
    const ref = `${sessionId}:${randomBytes(8).toString('hex')}`;
    this.files.set(ref, { data, at: now });
    return ref;
  }

  messagesAfter(sessionId: string, after: number): Promise<WebMessage[]> {
    return this.sessions.after(sessionId, after);
  }

  async send(chatId: string, message: OutgoingMessage): Promise<string> {
    const seq = await this.sessions.append(chatId, { text: message.text, buttons: message.buttons });
    if (seq === undefined) throw new ChannelSendError('web', 'The web session has expired', false);
    return String(seq);
  }

  downloadFile(fileRef: string): Promise<Buffer> {
    const file = this.files.get(fileRef);
    this.files.delete(fileRef);
    if (!file || Date.now() - file.at > FILE_TTL_MS) return Promise.reject(new MediaUnavailableError('web', 'expired'));
    return Promise.resolve(file.data);
  }
}
