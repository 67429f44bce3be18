import type { OutgoingMessage } from '@/bots/channel.port';

/** A message or button press in the doctors' group, normalised by the channel adapter. */
export interface DoctorsGroupEvent {
  fromId: string;
  fromName: string;
  messageId: string;
  text?: string;
  replyToMessageId?: string;
  action?: { callbackId: string; data: string };
}

/** The doctors' group as the inbox sees it (implemented by the Telegram adapter). */
export interface DoctorsGroup {
  /** Posts to the group; resolves to the message id. */
  post(message: OutgoingMessage): Promise<string>;
  /** Rewrites a posted message (caption when it carries a photo). */
  edit(messageId: string, message: OutgoingMessage, hasPhoto: boolean): Promise<void>;
  /** Acknowledges a button press, optionally with a notice (an alert when `alert`). */
  answer(callbackId: string, text?: string, alert?: boolean): Promise<void>;
  /** Writes privately to a group member; resolves false when Telegram refuses (they never started the bot). */
  tellPrivately(userId: string, text: string): Promise<boolean>;
  /** Registers the inbox as the receiver of group events. */
  onEvent(handler: (event: DoctorsGroupEvent) => Promise<void>): void;
}

export const DOCTORS_GROUP = Symbol('DOCTORS_GROUP');
