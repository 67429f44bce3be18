import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, Repository } from 'typeorm';
import { ChannelName, ChannelSendError, OutgoingMessage } from '@/bots/channel.port';
import { ChannelRegistry } from '@/bots/channel.registry';
import { OutboxMessage } from './outbox-message.entity';

const LOCK_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const IDLE_CHECK_MS = 2_000;

/**
 * Delivers outgoing patient messages from the `outbox_messages` table: in order per chat, paced per
 * channel (Telegram: one per chat per second, 30 per second overall), retried with backoff on
 * network errors, 5xx and 429 (honouring `retry_after`), held while a channel is not ready, and
 * resumed after a restart. Rows are claimed with a lock column, so several instances never send
 * the same message.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly lastPerChat = new Map<string, number>();
  private readonly recentPerChannel = new Map<ChannelName, number[]>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopping = false;

  constructor(
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    private readonly channels: ChannelRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Writes a message to the outbox and wakes the sender; resolves to `outbox:<id>`. */
  async enqueue(channel: ChannelName, chatId: string, message: OutgoingMessage): Promise<string> {
    const { photo: _photo, ...payload } = message;
    const row = await this.outbox.save(this.outbox.create({ channel, chatId, payload, status: 'pending', notBefore: new Date(), attempts: 0 }));
    this.kick();
    return `outbox:${row.id}`;
  }

  /** Erasure: forgets what was sent to a chat (texts are health data); pending messages still go. */
  async forgetChat(channel: ChannelName, chatId: string): Promise<void> {
    await this.outbox.delete({ channel, chatId, status: Not('pending') });
  }

  /** Deletes sent and undeliverable messages older than `before`; resolves to how many. */
  async purgeDelivered(before: Date): Promise<number> {
    const result = await this.outbox.delete({ status: Not('pending'), createdAt: LessThan(before) });
    return result.affected ?? 0;
  }

  /** Pending messages (for health and tests). */
  pendingCount(): Promise<number> {
    return this.outbox.countBy({ status: 'pending' });
  }

  /** Runs the sender now (or right after the current pass). */
  kick(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.pass()
      .catch((err: Error) => {
        this.logger.error(`Outbox pass failed: ${err.message}`, err.stack);
        return IDLE_CHECK_MS;
      })
      .then((waitMs) => {
        this.running = undefined;
        if (this.stopping) return;
        if (this.again) {
          this.again = false;
          return this.kick();
        }
        this.timer = setTimeout(() => this.kick(), waitMs);
        this.timer.unref();
      });
  }

  /** One pass over the head message of every chat; resolves to how long to sleep before the next. */
  private async pass(): Promise<number> {
    // The oldest pending message of each chat: only it may go, so every chat keeps its order.
    const headIds = await this.outbox
      .createQueryBuilder('o')
      .select('MIN(o.id)', 'id')
      .where('o.status = :status', { status: 'pending' })
      .groupBy('o.channel')
      .addGroupBy('o.chatId')
      .getRawMany<{ id: number }>();
    if (!headIds.length) return IDLE_CHECK_MS;
    const heads = await this.outbox.find({ where: { id: In(headIds.map((h) => Number(h.id))) }, order: { id: 'ASC' } });
    let sleep = IDLE_CHECK_MS;
    for (const row of heads) {
      if (this.stopping) break;
      const wait = this.waitFor(row);
      if (wait > 0) {
        sleep = Math.min(sleep, wait);
        continue;
      }
      await this.deliver(row);
      sleep = Math.min(sleep, this.waitFor(row, true));
    }
    return Math.max(sleep, 10);
  }

  /** Milliseconds until `row` may be sent (0: now). `afterSend`: the chat's next message. */
  private waitFor(row: OutboxMessage, afterSend = false): number {
    if (!this.channels.has(row.channel) || !this.channels.get(row.channel).isReady()) return IDLE_CHECK_MS;
    const now = Date.now();
    const pacing = this.channels.get(row.channel).capabilities.pacing;
    const due = afterSend ? 0 : row.notBefore.getTime() - now;
    if (!pacing) return Math.max(due, 0);
    const chatWait = (this.lastPerChat.get(`${row.channel}:${row.chatId}`) ?? 0) + pacing.perChatMs - now;
    const recent = (this.recentPerChannel.get(row.channel) ?? []).filter((t) => now - t < 1000);
    const globalWait = recent.length >= pacing.globalPerSecond ? recent[0] + 1000 - now : 0;
    return Math.max(due, chatWait, globalWait, 0);
  }

  private async deliver(row: OutboxMessage): Promise<void> {
    const now = new Date();
    const claimed = await this.outbox.update(
      [
        { id: row.id, status: 'pending', lockedUntil: IsNull() },
        { id: row.id, status: 'pending', lockedUntil: LessThan(now) },
      ],
      { lockedUntil: new Date(now.getTime() + LOCK_MS) },
    );
    if (!claimed.affected) return; // another instance has it
    const key = `${row.channel}:${row.chatId}`;
    try {
      await this.channels.get(row.channel).send(row.chatId, row.payload);
      this.lastPerChat.set(key, Date.now());
      const recent = (this.recentPerChannel.get(row.channel) ?? []).filter((t) => Date.now() - t < 1000);
      recent.push(Date.now());
      this.recentPerChannel.set(row.channel, recent);
      await this.outbox.update(row.id, { status: 'sent', sentAt: new Date(), lockedUntil: null, attempts: row.attempts + 1 });
    } catch (err) {
      const retryable = !(err instanceof ChannelSendError) || err.retryable;
      const attempts = row.attempts + 1;
      const retryAfterMs = err instanceof ChannelSendError && err.retryAfterS ? err.retryAfterS * 1000 : 0;
      const backoff = Math.min(500 * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      const message = ((err as Error).message ?? 'send failed').slice(0, 200);
      if (retryable) {
        await this.outbox.update(row.id, { attempts, lockedUntil: null, lastError: message, notBefore: new Date(Date.now() + Math.max(retryAfterMs, backoff)) });
        this.logger.warn(`Outbox message ${row.id} (${row.channel}) failed, attempt ${attempts}; retrying in ${Math.round(Math.max(retryAfterMs, backoff) / 1000)} s`);
      } else {
        await this.outbox.update(row.id, { attempts, lockedUntil: null, lastError: message, status: 'dead' });
        this.logger.error(`Outbox message ${row.id} (${row.channel}) cannot be delivered: ${message}`);
      }
    }
  }
}
