import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ChannelName, DeliveryReport, OutgoingMessage } from '@/messaging/channel.port';

export type OutboxStatus = 'pending' | 'sent' | 'dead';

/**
 * A message to a patient (or outreach worker), written before it is sent: the outbox delivers it
 * in order per chat, retries it, and keeps it while the channel is down or the service restarts.
 */
@Entity('outbox_messages')
@Index(['status', 'channel', 'chatId'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ type: 'varchar', length: 16 })
  channel: ChannelName;

  @Column({ type: 'varchar', length: 64 })
  chatId: string;

  /** What to send (text, buttons, reply-to, menu prompt); photos are not sent through the outbox. */
  @Column({ type: 'simple-json' })
  payload: Omit<OutgoingMessage, 'photo'>;

  @Column({ type: 'varchar', length: 8, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Not to be tried before this time (backoff, Telegram's retry_after). */
  @Column({ type: Date })
  notBefore: Date;

  /** Held by a sender until this time, so two instances never send the same row. */
  @Column({ type: Date, nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lastError: string | null;

  /**
   * A hash of the logical message this row is (e.g. a case's result, or the second reply to one
   * incoming update): a second row for the same message is refused. Null for messages without one.
   */
  @Index('IDX_outbox_messages_dedupe_key', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  dedupeKey: string | null;

  /** Waits for the person to write (the channel asked them to: WhatsApp's 24-hour window had closed). */
  @Column({ type: 'boolean', default: false })
  waitingForReply: boolean;

  /** The channel's id for the sent message, to match its delivery reports. */
  @Index('IDX_outbox_messages_channel_message')
  @Column({ type: 'varchar', length: 128, nullable: true })
  channelMessageId: string | null;

  /** The channel's latest report on the sent message (where it reports: WhatsApp's Cloud API). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  deliveryStatus: DeliveryReport['status'] | null;

  @Column({ type: Date, nullable: true })
  deliveryAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}
