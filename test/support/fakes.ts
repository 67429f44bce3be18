import type { ChannelName, MessagingChannel, OutgoingMessage } from '@/messaging/channel.port';
import { MESSAGE_SHAPES } from '@/messaging/channel.port';
import type { DoctorsGroup } from '@/messaging/doctors-group.port';

/** Polls `check` every 20 ms until it answers something truthy; throws naming `what` after `timeoutMs`. */
export async function until<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A channel at the messaging port that records what it is asked to send and serves the files a
 * test hands it; shaped like the real channel of its name (buttons or menus), without pacing.
 */
export class RecordingChannel implements MessagingChannel {
  readonly capabilities;
  readonly sent: { chatId: string; message: OutgoingMessage }[] = [];
  private readonly files = new Map<string, Buffer>();
  private nextId = 1;

  constructor(readonly name: ChannelName = 'telegram') {
    this.capabilities = { ...MESSAGE_SHAPES[name], maxFileBytes: 20 * 1024 * 1024 };
  }

  isReady(): boolean {
    return true;
  }

  send(chatId: string, message: OutgoingMessage): Promise<string> {
    this.sent.push({ chatId, message });
    return Promise.resolve(String(this.nextId++));
  }

  downloadFile(fileRef: string): Promise<Buffer> {
    const file = this.files.get(fileRef);
    return file ? Promise.resolve(file) : Promise.reject(new Error(`no file ${fileRef}`));
  }

  /** Keeps a file the journey will download by `ref`. */
  hold(ref: string, data: Buffer): string {
    this.files.set(ref, data);
    return ref;
  }

  textsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.message.text);
  }

  /** The button data of the messages sent to `chatId`, in order. */
  buttonsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).flatMap((s) => (s.message.buttons ?? []).flat().map((b) => b.data));
  }

  /** Waits for a message to `chatId` whose text matches. */
  waitForText(chatId: string, pattern: RegExp, timeoutMs?: number): Promise<OutgoingMessage> {
    return until(
      () => this.sent.find((s) => s.chatId === chatId && pattern.test(s.message.text))?.message,
      `a message ${pattern} to ${chatId}`,
      timeoutMs,
    );
  }
}

/** The doctors' group at its port: records posts, edits, answers to presses and private messages. */
export class FakeDoctorsGroup implements DoctorsGroup {
  readonly posts: { id: string; message: OutgoingMessage }[] = [];
  readonly edits: { id: string; message: OutgoingMessage }[] = [];
  readonly answers: { callbackId: string; text?: string; alert?: boolean }[] = [];
  readonly privately: { userId: string; text: string }[] = [];
  /** Members who never started the bot: telling them privately fails. */
  readonly unreachable = new Set<string>();
  private nextId = 500;

  takeTurn(): Promise<void> {
    return Promise.resolve();
  }

  post(message: OutgoingMessage): Promise<string> {
    const id = String(this.nextId++);
    this.posts.push({ id, message });
    return Promise.resolve(id);
  }

  edit(id: string, message: OutgoingMessage): Promise<void> {
    this.edits.push({ id, message });
    return Promise.resolve();
  }

  answer(callbackId: string, text?: string, alert?: boolean): Promise<void> {
    this.answers.push({ callbackId, text, alert });
    return Promise.resolve();
  }

  tellPrivately(userId: string, text: string): Promise<boolean> {
    if (this.unreachable.has(userId)) return Promise.resolve(false);
    this.privately.push({ userId, text });
    return Promise.resolve(true);
  }

  answerTo(callbackId: string): { text?: string; alert?: boolean } | undefined {
    return this.answers.find((a) => a.callbackId === callbackId);
  }
}
