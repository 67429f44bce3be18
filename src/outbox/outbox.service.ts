import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncLocalStorage } from 'node:async_hooks';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, LessThanOrEqual, Not, Repository } from 'typeorm';
import { AwaitingReplyError, ChannelName, ChannelSendError, DeliveryReport, OutgoingMessage } from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { DeliveryListener, Inbound } from '@/messaging/inbound';
import { hashId } from '@/common/hash-id';
import { isUniqueViolation } from '@/database/unique-violation';
import { JobName, JobPayloads, RetryLaterError, retryDelay } from '@/jobs/job.types';
import { JobsService } from '@/jobs/jobs.service';
import { Scheduler } from '@/jobs/scheduler';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { OutboxMessage } from './outbox-message.entity';

/** A sender's hold on the rows it sends, renewed while the send runs (a crashed sender's lapses). */
const LOCK_MS = 30_000;
const SWEEP_MS = 2_000;
/** A job sleeps through pacing waits up to this long; a longer wait is a retry later. */
const MAX_INLINE_WAIT_MS = 5_000;
/** The most messages of one chat read (and, where the channel merges them, sent) at a time. */
const MAX_BATCH = 20;
/** Chats delivered at once per instance (the work is waiting on the network, not the CPU). */
const DELIVERY_CONCURRENCY = 16;
/** A message waiting for its person's reply asks again (the channel's notice) after this long... */
const REPLY_WAIT_MS = 3 * 24 * 60 * 60 * 1000;
/** ...this many times in all, then it is given up. */
const MAX_REPLY_NOTICES = 3;
/** A delivery report can overtake the record of the send it reports on: it is looked for this long. */
const REPORT_MATCH_MS = 5_000;
const REPORT_ORDER: Record<DeliveryReport['status'], number> = { sent: 1, delivered: 2, read: 3, failed: 0 };

/** A message to write to the outbox. */
export interface OutboxWrite {
  channel: ChannelName;
  chatId: string;
  message: OutgoingMessage;
  /**
   * Names the logical message (e.g. `result:<case id>:card`): a second write of it is refused. Inside
   * {@link OutboxService.forEvent} a message without one is named by the event, its chat and `kind`.
   */
  key?: string;
  /** What the message is (e.g. `doctor_answer:<case id>`), for the key an event gives it. */
  kind?: string;
}

/** The event being handled: its name, and how many messages of each kind it has written per chat. */
interface EventScope {
  event: string;
  written: Map<string, number>;
}

/**
 * Delivers outgoing patient messages through the `outbox_messages` table. Writing a message queues
 * a DeliverOutbox job for its chat (a bull job with Redis); the job sends the chat's pending messages
 * in order, paced per channel (Telegram: one per chat per second, 30 per second overall; counted in
 * Redis across instances when there is Redis, see {@link RateLimits}), and retries with backoff on
 * network errors, 5xx and 429 (honouring `retry_after`). Messages wait while a channel is not ready.
 * A sweep every 2 s queues the job again for chats with due messages, so nothing is left behind by a
 * restart, a lost job or a channel that comes back. Rows are claimed with a lock column, so several
 * instances never send the same message.
 *
 * Each logical message is written once: a row carries a unique key (a hash), given by the caller or by
 * the event being handled ({@link forEvent}), so a redelivered update or a repeated job writes nothing
 * twice. Delivery itself is at-least-once: a crash between the channel's acceptance of a message and
 * the row being marked sent sends it again once the crashed sender's hold lapses (LOCK_MS).
 */
@Injectable()
export class OutboxService implements BeforeApplicationShutdown, DeliveryListener {
  private readonly logger = new Logger(OutboxService.name);
  private stopping = false;
  private readonly events = new AsyncLocalStorage<EventScope>();

  constructor(
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    private readonly channels: ChannelRegistry,
    private readonly jobs: JobsService,
    private readonly rateLimits: RateLimits,
    scheduler: Scheduler,
    inbound: Inbound,
  ) {
    inbound.receiveDeliveries(this);
    jobs.register(JobName.DeliverOutbox, (chat) => this.deliverChat(chat), { concurrency: DELIVERY_CONCURRENCY, attempts: 5 });
    scheduler.every('Outbox sweep', SWEEP_MS, () => this.sweep(), 0);
  }

  /** Stops delivering (the sweeps have stopped before, with the scheduler). */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  /**
   * Runs `work` on behalf of one event (an incoming message, a doctor's action): every message it
   * writes without a key of its own is named by the event, its chat, its kind and its place among the
   * messages of that kind, so handling the event again (a redelivery after a crash) writes none twice.
   */
  forEvent<T>(event: string, work: () => Promise<T>): Promise<T> {
    return this.events.run({ event, written: new Map() }, work);
  }

  /** Writes a message and queues its chat's delivery; false when the message was written before (see {@link OutboxWrite.key}). */
  async enqueue(
    channel: ChannelName,
    chatId: string,
    message: OutgoingMessage,
    naming: Pick<OutboxWrite, 'key' | 'kind'> = {},
  ): Promise<boolean> {
    const [written] = await this.enqueueAll([{ channel, chatId, message, ...naming }]);
    return written;
  }

  /**
   * Writes messages that belong together in one statement, so they exist together or not at all, and
   * queues their chats' delivery. A message written before is not written again; resolves to whether
   * each was new.
   */
  async enqueueAll(writes: OutboxWrite[]): Promise<boolean[]> {
    const notBefore = new Date();
    const rows = writes.map(({ channel, chatId, message, key, kind }) => {
      const { photo: _photo, ...payload } = message;
      const name = key ?? this.eventKey(channel, chatId, kind);
      return {
        channel,
        chatId,
        payload,
        status: 'pending' as const,
        notBefore,
        attempts: 0,
        dedupeKey: name === undefined ? null : hashId(name),
      };
    });
    let written = rows.map(() => true);
    try {
      if (rows.length) await this.outbox.insert(rows);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Some were written before (a repeated event): write the others one by one.
      written = [];
      for (const row of rows) written.push(await this.insertNew(row));
    }
    const chats = new Map(rows.filter((_, i) => written[i]).map((r) => [`${r.channel}:${r.chatId}`, r]));
    for (const chat of chats.values()) await this.queueChat(chat.channel, chat.chatId);
    return written;
  }

  /** Whether the message named `key` has been written (and not purged since). */
  has(key: string): Promise<boolean> {
    return this.outbox.existsBy({ dedupeKey: hashId(key) });
  }

  private async insertNew(row: Partial<OutboxMessage>): Promise<boolean> {
    try {
      await this.outbox.insert(row);
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** The key the current event gives its next message of `kind` to a chat; none outside an event. */
  private eventKey(channel: ChannelName, chatId: string, kind = 'message'): string | undefined {
    const scope = this.events.getStore();
    if (!scope) return undefined;
    const name = `${scope.event}|${channel}|${chatId}|${kind}`;
    const n = scope.written.get(name) ?? 0;
    scope.written.set(name, n + 1);
    return `${name}#${n}`;
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

  /** Pending messages, of one channel or all (for health and tests); `waitingForReply`: only those waiting for their person to write. */
  pendingCount(channel?: ChannelName, waitingForReply?: boolean): Promise<number> {
    return this.outbox.countBy({
      status: 'pending',
      ...(channel ? { channel } : {}),
      ...(waitingForReply ? { waitingForReply } : {}),
    });
  }

  private queueChat(channel: ChannelName, chatId: string): Promise<void> {
    // The job id names a hash of the chat: it is a Redis key and appears in failure logs.
    return this.jobs.enqueue(JobName.DeliverOutbox, { channel, chatId }, `${channel}:${hashId(chatId)}`);
  }

  /** Queues delivery for every chat with a due, unclaimed message (a queued chat is not queued twice). */
  private async sweep(): Promise<void> {
    const now = new Date();
    const chats = await this.outbox
      .createQueryBuilder('o')
      .select(['o.channel AS channel', 'o.chatId AS "chatId"'])
      .where('o.status = :status', { status: 'pending' })
      .andWhere('o.notBefore <= :now', { now })
      .andWhere('(o.lockedUntil IS NULL OR o.lockedUntil < :now)', { now })
      .groupBy('o.channel')
      .addGroupBy('o.chatId')
      .getRawMany<{ channel: ChannelName; chatId: string }>();
    for (const chat of chats) {
      if (this.stopping) return;
      if (this.channels.has(chat.channel) && this.channels.get(chat.channel).isReady())
        await this.queueChat(chat.channel, chat.chatId);
    }
  }

  /** The DeliverOutbox job: the chat's pending messages, oldest first, until none is due. */
  private async deliverChat({ channel, chatId }: JobPayloads[JobName.DeliverOutbox]): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      // A channel that is down keeps its messages; the sweep queues the chat again once it is back.
      if (!this.channels.has(channel) || !this.channels.get(channel).isReady()) return;
      const waiting = await this.outbox.find({
        where: { channel, chatId, status: 'pending' },
        order: { id: 'ASC' },
        take: MAX_BATCH,
      });
      // Waiting for its person's reply: the reply queues the chat again (or the sweep, to ask again).
      if (!waiting.length || waiting[0].waitingForReply) return;
      const due = waiting[0].notBefore.getTime() - Date.now();
      if (due > MAX_INLINE_WAIT_MS) throw new RetryLaterError(`outbox chat waits ${Math.round(due / 1000)} s`, due);
      if (due > 0) {
        await sleep(due);
        continue;
      }
      if (!(await this.deliver(this.batch(waiting)))) return;
    }
  }

  /**
   * The messages to send now: the oldest alone, or, where the channel merges (WhatsApp), it and the
   * due messages after it, in order, up to the channel's length.
   */
  private batch(waiting: OutboxMessage[]): OutboxMessage[] {
    const limit = this.channels.get(waiting[0].channel).capabilities.mergeChars ?? 0;
    const batch = [waiting[0]];
    let chars = waiting[0].payload.text.length;
    for (const row of waiting.slice(1)) {
      chars += row.payload.text.length;
      if (chars > limit || row.notBefore.getTime() > Date.now()) break;
      batch.push(row);
    }
    return batch;
  }

  /**
   * Waits (up to MAX_INLINE_WAIT_MS) until a message may be sent to `row`'s chat under the channel's
   * pacing, and counts the send against the chat's and the channel's windows at once (shared by every
   * instance with Redis), so concurrent chats and instances never exceed them. Resolves to 0, or to a
   * longer wait.
   */
  private async paceSend(row: OutboxMessage): Promise<number> {
    const pacing = this.channels.get(row.channel).capabilities.pacing;
    if (!pacing) return 0;
    const rules = [
      { key: `outbox:${row.channel}:chat:${hashId(row.chatId)}`, limit: 1, windowMs: pacing.perChatMs },
      { key: `outbox:${row.channel}:all`, limit: pacing.globalPerSecond, windowMs: 1000 },
    ];
    return this.rateLimits.wait(rules, MAX_INLINE_WAIT_MS);
  }

  /**
   * Claims, paces and sends `rows` (one chat's, in order) as one send; they succeed or fail together.
   * Resolves to false when another sender holds the first of them: that sender delivers the chat (or,
   * if it crashed, the sweep queues the chat again once its hold has lapsed).
   */
  private async deliver(rows: OutboxMessage[]): Promise<boolean> {
    const claimed = await this.claim(rows);
    if (!claimed.length) return false;
    const ids = claimed.map((r) => r.id);
    const head = claimed[0];
    // Paced after the claim, right before the send, so the windows time the sends themselves.
    const wait = await this.paceSend(head).catch(async (err: Error) => {
      await this.outbox.update({ id: In(ids) }, { lockedUntil: null });
      throw err;
    });
    if (wait > 0) {
      await this.outbox.update({ id: In(ids) }, { lockedUntil: null });
      throw new RetryLaterError(`outbox chat waits ${Math.round(wait / 1000)} s for pacing`, wait);
    }
    const channel = this.channels.get(head.channel);
    // A send may outlast the hold (a slow network): keep holding while it runs.
    const holding = setInterval(() => {
      this.outbox
        .update({ id: In(ids), status: 'pending' }, { lockedUntil: new Date(Date.now() + LOCK_MS) })
        .catch((err: Error) => this.logger.warn(`Could not renew the hold on outbox message ${head.id}: ${err.message}`));
    }, LOCK_MS / 3);
    let channelMessageId: string;
    try {
      if (claimed.length > 1 && channel.sendMany)
        channelMessageId = await channel.sendMany(
          head.chatId,
          claimed.map((r) => r.payload),
        );
      else channelMessageId = await channel.send(head.chatId, head.payload);
    } catch (err) {
      await this.failed(claimed, err);
      return true;
    } finally {
      clearInterval(holding);
    }
    // Marked sent at once: a crash between the channel's acceptance and this write is the only way a
    // message goes out twice (if the write itself fails, the row stays held and is sent again once the
    // hold lapses). The rows stay a week as a delivery record, without the text (health data; the
    // audit trail keeps what was sent, and erases it with the patient). A channel that reports
    // delivery keeps the text until it does, to send the message again if it reports a failure.
    await this.outbox.update(
      { id: In(ids) },
      {
        status: 'sent',
        sentAt: new Date(),
        lockedUntil: null,
        attempts: head.attempts + 1,
        channelMessageId: channelMessageId.slice(0, 128),
        ...(channel.capabilities.confirmsDelivery ? {} : { payload: { text: '' } }),
      },
    );
    return true;
  }

  /**
   * A channel's report on a sent message: the delivery record moves forward (sent, delivered, read;
   * the text is dropped once delivered), and a reported failure sends the message again later, makes
   * it wait for its person's reply, or gives it up, as the channel says.
   */
  async delivery(report: DeliveryReport): Promise<void> {
    const where = { channel: report.channel, channelMessageId: report.messageId.slice(0, 128) };
    let rows = await this.outbox.findBy(where);
    for (const deadline = Date.now() + REPORT_MATCH_MS; !rows.length && Date.now() < deadline;) {
      await sleep(250); // the report overtook the record of the send
      rows = await this.outbox.findBy(where);
    }
    // Forward only (a late 'delivered' after 'read' changes nothing); a failure counts until the message was delivered.
    const rank = (status: DeliveryReport['status'] | null) => (status ? REPORT_ORDER[status] : 0);
    const moves = (from: DeliveryReport['status'] | null) =>
      report.status === 'failed' ? rank(from) < REPORT_ORDER.delivered : rank(from) <= rank(report.status);
    const due = rows.filter((r) => r.status === 'sent' && moves(r.deliveryStatus));
    if (!due.length) return;
    const ids = due.map((r) => r.id);
    const now = new Date();
    if (report.status !== 'failed') {
      await this.outbox.update(
        { id: In(ids), status: 'sent' },
        { deliveryStatus: report.status, deliveryAt: now, ...(report.status === 'sent' ? {} : { payload: { text: '' } }) },
      );
      return;
    }
    const error = report.error ?? { code: 0, title: 'failed', outcome: 'retry' as const };
    const lastError = `${report.channel} reported ${error.code}: ${error.title}`.slice(0, 200);
    const what = rowsName(ids, report.channel);
    if (error.outcome === 'give_up') {
      await this.outbox.update(
        { id: In(ids), status: 'sent' },
        { status: 'dead', deliveryStatus: 'failed', deliveryAt: now, lastError },
      );
      this.logger.error(`${what} was not delivered: ${lastError}`);
      return;
    }
    // Pending again from the channel's report: due at once (a closed window makes the channel ask the
    // person to reply first) or after a backoff.
    const delay = error.outcome === 'retry' ? retryDelay(due[0].attempts, undefined) : 0;
    await this.outbox.update(
      { id: In(ids), status: 'sent' },
      {
        status: 'pending',
        deliveryStatus: 'failed',
        deliveryAt: now,
        lastError,
        channelMessageId: null,
        notBefore: new Date(now.getTime() + delay),
      },
    );
    this.logger.warn(
      `${what} was reported failed (${error.code}); sending it again${delay ? ` in ${Math.round(delay / 1000)} s` : ''}`,
    );
    if (!delay) await this.queueChat(report.channel, due[0].chatId);
  }

  /** The chat's person wrote: messages that waited for their reply are due now. */
  async chatActive(channel: ChannelName, chatId: string): Promise<void> {
    const woken = await this.outbox.update(
      { channel, chatId, status: 'pending', waitingForReply: true },
      { waitingForReply: false, notBefore: new Date() },
    );
    if (woken.affected) await this.queueChat(channel, chatId);
  }

  /** A failed send: dead when the channel refuses for good, else due again after a backoff (and the job retried then). */
  private async failed(claimed: OutboxMessage[], err: unknown): Promise<void> {
    const ids = claimed.map((r) => r.id);
    const head = claimed[0];
    const retryable = !(err instanceof ChannelSendError) || err.retryable;
    const attempts = head.attempts + 1;
    const retryAfterMs = err instanceof ChannelSendError && err.retryAfterS ? err.retryAfterS * 1000 : 0;
    const delay = Math.max(retryAfterMs, retryDelay(attempts, undefined));
    const message = ((err as Error).message ?? 'send failed').slice(0, 200);
    const what = rowsName(ids, head.channel);
    if (err instanceof AwaitingReplyError && attempts <= MAX_REPLY_NOTICES) {
      // The channel asked the person to write; the message goes once they do (see chatActive).
      await this.outbox.update(
        { id: In(ids) },
        {
          attempts,
          lockedUntil: null,
          lastError: message,
          waitingForReply: true,
          notBefore: new Date(Date.now() + REPLY_WAIT_MS),
        },
      );
      this.logger.log(`${what} waits for its person to write (${message})`);
      return;
    }
    if (!retryable || err instanceof AwaitingReplyError) {
      await this.outbox.update({ id: In(ids) }, { attempts, lockedUntil: null, lastError: message, status: 'dead' });
      this.logger.error(`${what} cannot be delivered: ${message}`);
      return;
    }
    await this.outbox.update(
      { id: In(ids) },
      { attempts, lockedUntil: null, lastError: message, notBefore: new Date(Date.now() + delay) },
    );
    this.logger.warn(`${what} failed, attempt ${attempts}; retrying in ${Math.round(delay / 1000)} s`);
    throw new RetryLaterError(`outbox message ${head.id}: ${message}`, delay);
  }

  /** Claims rows in order with the lock column, stopping at the first another instance holds. */
  private async claim(rows: OutboxMessage[]): Promise<OutboxMessage[]> {
    const claimed: OutboxMessage[] = [];
    for (const row of rows) {
      const now = new Date();
      const result = await this.outbox.update(
        [
          { id: row.id, status: 'pending', lockedUntil: IsNull() },
          { id: row.id, status: 'pending', lockedUntil: LessThanOrEqual(now) },
        ],
        { lockedUntil: new Date(now.getTime() + LOCK_MS) },
      );
      if (!result.affected) break;
      if (row.lockedUntil) {
        // Its sender stopped while it held the row (a crash): the channel may have taken it already.
        this.logger.warn(
          `Outbox message ${row.id} (${row.channel}) was being sent when its sender stopped; sending it again, it may arrive twice`,
        );
      }
      claimed.push(row);
    }
    return claimed;
  }
}

/** How the log names outbox rows sent as one: `Outbox message 7 (telegram)`, `Outbox messages 7, 8 (whatsapp)`. */
function rowsName(ids: number[], channel: ChannelName): string {
  return `Outbox message${ids.length > 1 ? `s ${ids.join(', ')}` : ` ${ids[0]}`} (${channel})`;
}
