import type { OutgoingMessage } from './channel.port';

/** A message or button press in the doctors' group, normalised by the channel adapter. */
export interface DoctorsGroupEvent {
  fromId: string;
  fromName: string;
  messageId: string;
  text?: string;
  replyToMessageId?: string;
  /**
   * The data of the buttons on the message replied to, as they were sent (only the bot's case posts
   * carry them; the inbox's codecs read the case from them): a reply to a case post whose message id
   * was never recorded (a crash as it was posted) still reaches its case.
   */
  replyToActions?: string[];
  action?: { callbackId: string; data: string };
}

/** The doctors' group as the inbox sees it (implemented by the Telegram adapter); its events arrive through `Inbound`. */
export interface DoctorsGroup {
  /**
   * Waits until the group's pacing (about 20 posts a minute) lets one more post go, and counts it:
   * the caller posts next with `paced: false`. Work that must be taken before it is posted (a case)
   * takes its turn first, so it is never held while it waits.
   */
  takeTurn(): Promise<void>;
  /** Posts to the group, after waiting for its turn unless `paced` is false; resolves to the message id. */
  post(message: OutgoingMessage, options?: { paced?: boolean }): Promise<string>;
  /** Rewrites a posted message (caption when it carries a photo). */
  edit(messageId: string, message: OutgoingMessage, hasPhoto: boolean): Promise<void>;
  /** Acknowledges a button press, optionally with a notice (an alert when `alert`). */
  answer(callbackId: string, text?: string, alert?: boolean): Promise<void>;
  /** Writes privately to a group member; resolves false when Telegram refuses (they never started the bot). */
  tellPrivately(userId: string, text: string): Promise<boolean>;
}

export const DOCTORS_GROUP = Symbol('DOCTORS_GROUP');
