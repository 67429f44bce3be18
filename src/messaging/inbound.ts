import { Injectable } from '@nestjs/common';
import type { ChannelName, DeliveryReport, IncomingMessage, IncomingMessageHandler } from './channel.port';
import type { DoctorsGroupEvent } from './doctors-group.port';

/** Consumes events from the doctors' group (the doctors' inbox). */
export type DoctorsGroupEventHandler = (event: DoctorsGroupEvent) => Promise<void>;

/** Consumes what channels report about sent messages, and that a chat's person wrote (the outbox). */
export interface DeliveryListener {
  delivery(report: DeliveryReport): Promise<void>;
  /** A person wrote in a chat: messages that waited for their reply (see AwaitingReplyError) may go. */
  chatActive(channel: ChannelName, chatId: string): Promise<void>;
}

/**
 * Where the channel adapters deliver what they normalised, and where the domain takes it: the
 * conversation registers for patients' messages, the doctors' inbox for the group's events, both at
 * module init (before any adapter starts taking messages). Adapters depend on this, never on the
 * domain; the domain depends on it, never on an adapter.
 */
@Injectable()
export class Inbound implements IncomingMessageHandler {
  private patients?: IncomingMessageHandler;
  private group?: DoctorsGroupEventHandler;
  private deliveries?: DeliveryListener;

  /** Registers the consumer of patients' messages (one per instance). */
  receivePatientMessages(handler: IncomingMessageHandler): void {
    this.patients = handler;
  }

  /** Registers the consumer of the doctors' group events (only where the inbox runs). */
  receiveGroupEvents(handler: DoctorsGroupEventHandler): void {
    this.group = handler;
  }

  /** Registers the consumer of delivery reports and chat activity (the outbox). */
  receiveDeliveries(listener: DeliveryListener): void {
    this.deliveries = listener;
  }

  /** Whether anything takes the doctors' group events on this instance. */
  get takesGroupEvents(): boolean {
    return this.group !== undefined;
  }

  /** A patient's message from any channel. */
  handle(message: IncomingMessage): Promise<void> {
    if (!this.patients)
      return Promise.reject(new Error('Nothing receives patient messages (the conversation module is missing)'));
    return this.patients.handle(message);
  }

  /**
   * A person wrote in a chat: messages that waited for their reply may go. Reported by a channel that
   * makes messages wait (`AwaitingReplyError`), for every message of its people, before it is handled.
   */
  async activity(channel: ChannelName, chatId: string): Promise<void> {
    await this.deliveries?.chatActive(channel, chatId);
  }

  /** A channel's report on a message it took (sent, delivered, read, failed). */
  async deliveryStatus(report: DeliveryReport): Promise<void> {
    await this.deliveries?.delivery(report);
  }

  /** A message or button press in the doctors' group; call only when {@link takesGroupEvents}. */
  handleGroupEvent(event: DoctorsGroupEvent): Promise<void> {
    if (!this.group) return Promise.reject(new Error('Nothing receives the doctors group events (the inbox is not enabled)'));
    return this.group(event);
  }
}
