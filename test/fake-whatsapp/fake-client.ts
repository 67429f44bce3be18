import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WhatsAppChat, WhatsAppClient, WhatsAppMedia, WhatsAppMessage } from '@/bots/whatsapp/whatsapp-client';

export interface SentWhatsApp {
  chatId: string;
  content: string;
  at: number;
}

/**
 * A stand-in for whatsapp-web.js's `Client` at its boundary: the same events (`qr`, `ready`,
 * `message`, `disconnected`, `auth_failure`, `change_state`) and methods (`initialize`, `destroy`,
 * `sendMessage`, `getChats`, `getMessageById`, `sendSeen`), and messages with `downloadMedia()`
 * returning MessageMedia-shaped objects. Like the real one, it keeps the phone's chats: a message
 * that arrives while no service is connected is not emitted, it waits unread in its chat (and
 * {@link restart} makes a new session on the same phone, as a service restart does).
 */
export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClient {
  readonly sent: SentWhatsApp[] = [];
  /** The phone's chats: every message in and out, and how many incoming ones are unread. */
  private readonly chats = new Map<string, { messages: WhatsAppMessage[]; unread: number }>();
  seenCalls = 0;
  initializeCalls = 0;
  /** Sends that fail (the browser page erroring) before sending works again. */
  failSends = 0;
  /** When true, `initialize` shows a QR code and waits for {@link scanQr}; otherwise it logs straight in. */
  needsQr = false;
  private connected = false;

  initialize(): Promise<void> {
    this.initializeCalls++;
    setImmediate(() => {
      if (this.needsQr) this.emit('qr', `2@fake-qr-${randomBytes(8).toString('hex')}`);
      else this.login();
    });
    return Promise.resolve();
  }

  scanQr(): void {
    this.needsQr = false;
    this.login();
  }

  private login(): void {
    this.connected = true;
    this.emit('change_state', 'CONNECTED');
    this.emit('ready');
  }

  destroy(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }

  /** The service's process ends (a crash, a deploy): its listeners go; the phone and its chats stay. */
  restart(): void {
    this.connected = false;
    this.removeAllListeners();
  }

  getChats(): Promise<WhatsAppChat[]> {
    if (!this.connected) return Promise.reject(new Error('Session closed'));
    return Promise.resolve(
      [...this.chats].map(([id, chat]) => ({
        id: { _serialized: id },
        isGroup: id.endsWith('@g.us'),
        unreadCount: chat.unread,
        fetchMessages: ({ limit }: { limit: number }) => Promise.resolve(chat.messages.slice(-limit)),
      })),
    );
  }

  getMessageById(messageId: string): Promise<WhatsAppMessage | undefined> {
    if (!this.connected) return Promise.reject(new Error('Session closed'));
    for (const chat of this.chats.values()) {
      const found = chat.messages.find((m) => m.id._serialized === messageId);
      if (found) return Promise.resolve(found);
    }
    return Promise.resolve(undefined);
  }

  sendSeen(chatId: string): Promise<boolean> {
    const chat = this.chats.get(chatId);
    if (chat) chat.unread = 0;
    this.seenCalls++;
    return Promise.resolve(!!chat);
  }

  /** Someone marks a chat unread on the phone: its last `count` incoming messages count as unread again. */
  markUnread(chatId: string, count: number): void {
    this.chat(chatId).unread = count;
  }

  /** How many incoming messages of a chat are unread on the phone. */
  unreadIn(chatId: string): number {
    return this.chats.get(chatId)?.unread ?? 0;
  }

  private chat(id: string): { messages: WhatsAppMessage[]; unread: number } {
    let chat = this.chats.get(id);
    if (!chat) this.chats.set(id, (chat = { messages: [], unread: 0 }));
    return chat;
  }

  /** The phone loses its connection. */
  disconnect(reason = 'NAVIGATION'): void {
    this.connected = false;
    this.emit('disconnected', reason);
  }

  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }> {
    if (!this.connected) return Promise.reject(new Error('Session closed'));
    if (this.failSends > 0) {
      this.failSends--;
      return Promise.reject(new Error('Evaluation failed: page crashed'));
    }
    this.sent.push({ chatId, content, at: Date.now() });
    const id = { _serialized: `true_${chatId}_${randomBytes(6).toString('hex')}` };
    this.chat(chatId).messages.push({
      id,
      from: chatId,
      fromMe: true,
      body: content,
      type: 'chat',
      timestamp: Math.floor(Date.now() / 1000),
      hasMedia: false,
      downloadMedia: () => Promise.resolve(undefined),
    });
    this.emit('sent');
    return Promise.resolve({ id });
  }

  // ---- what a phone user does ---------------------------------------------------------------

  /** Sent days ago, as far as its timestamp tells (catch-up leaves old messages alone). */
  ageDays = 0;

  private message(
    from: string,
    type: string,
    body: string,
    media?: () => Promise<WhatsAppMedia | undefined | null>,
  ): WhatsAppMessage {
    const m: WhatsAppMessage = {
      id: { _serialized: `false_${from}_${randomBytes(8).toString('hex').toUpperCase()}` },
      from,
      fromMe: false,
      body,
      type,
      timestamp: Math.floor((Date.now() - this.ageDays * 86_400_000) / 1000),
      hasMedia: !!media,
      downloadMedia: media ?? (() => Promise.resolve(undefined)),
    };
    const chat = this.chat(from);
    chat.messages.push(m);
    chat.unread++;
    // whatsapp-web.js emits only what arrives while a session runs; the rest waits unread.
    if (this.connected) this.emit('message', m);
    return m;
  }

  sendText(from: string, body: string): WhatsAppMessage {
    return this.message(from, 'chat', body);
  }

  /** Sends an image; the first `failures` downloads give null (still downloading / expired). */
  sendImage(from: string, data: Buffer, failures = 0): WhatsAppMessage {
    let calls = 0;
    return this.message(from, 'image', '', () =>
      Promise.resolve(calls++ < failures ? null : { mimetype: 'image/jpeg', data: data.toString('base64'), filename: null }),
    );
  }

  sendOther(from: string, type: 'ptt' | 'video' | 'sticker' | 'location'): WhatsAppMessage {
    return this.message(from, type, '');
  }

  // ---- assertions ---------------------------------------------------------------------------

  textsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.content);
  }

  private readonly cursors = new Map<string, number>();
  private readonly consumed = new Set<string>();

  /**
   * Waits for the next message to `chatId` matching `pattern`, from the one the previous wait for
   * that chat found on: a conversation is read in order, so an old menu is never answered twice.
   * Several waits may match one message (the adapter merges bursts), each pattern once.
   */
  async waitForText(chatId: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mine = this.sent.filter((s) => s.chatId === chatId);
      const from = this.cursors.get(chatId) ?? 0;
      const index = mine.findIndex(
        (s, i) => i >= from && !this.consumed.has(`${chatId}:${i}:${pattern.source}`) && pattern.test(s.content),
      );
      if (index >= 0) {
        this.cursors.set(chatId, index);
        this.consumed.add(`${chatId}:${index}:${pattern.source}`);
        return mine[index].content;
      }
      if (Date.now() > deadline)
        throw new Error(`No WhatsApp message to ${chatId} matching ${pattern}. Sent:\n${this.textsTo(chatId).join('\n-----\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The number of the option whose label matches, in a message that has a numbered menu. */
  static option(message: string, label: RegExp): string {
    const line = message.split('\n').find((l) => /^\d+\. /.test(l) && label.test(l));
    if (!line) throw new Error(`No menu option ${label} in:\n${message}`);
    return line.split('.')[0];
  }
}
