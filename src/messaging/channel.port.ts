/** The channels a patient can reach us on. */
export const CHANNEL_NAMES = ['telegram', 'whatsapp', 'web'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

interface IncomingBase {
  channel: ChannelName;
  /** The conversation to answer in (Telegram chat id, WhatsApp chat id, web session id). */
  chatId: string;
  /** Channel-unique id of this message, used to drop redeliveries. */
  messageId: string;
  /** The sender's language as the channel reports it (e.g. Telegram's `language_code`). */
  languageCode?: string;
  /** The message this one replies to, when the channel tells us. */
  replyToMessageId?: string;
}

/**
 * A patient's message, normalised at the edge: no SDK type crosses into the domain.
 * `photo.fileRef` is opaque; only the channel that produced it can download it.
 */
export type IncomingMessage =
  | (IncomingBase & { kind: 'command'; command: string; args: string })
  | (IncomingBase & { kind: 'text'; text: string })
  | (IncomingBase & { kind: 'photo'; fileRef: string; mimeType?: string; fileSize?: number })
  | (IncomingBase & { kind: 'action'; data: string })
  | (IncomingBase & { kind: 'unsupported'; what: UnsupportedKind });

export type UnsupportedKind = 'video' | 'sticker' | 'voice' | 'audio' | 'document' | 'location' | 'contact' | 'other';

/** A reply button; `data` comes back as an `action` message when pressed. */
export interface Button {
  label: string;
  data: string;
}

/**
 * What we send. Channels render it as best they can: Telegram as inline keyboards, WhatsApp Web as
 * a numbered text menu, WhatsApp's Cloud API as reply buttons or a list (a numbered menu when they do
 * not fit), the web page as HTML buttons.
 */
export interface OutgoingMessage {
  text: string;
  buttons?: Button[][];
  photo?: { data: Buffer; spoiler?: boolean };
  replyToMessageId?: string;
  /** For channels without buttons: the localised line that introduces the numbered menu. */
  menuPrompt?: string;
  /** The recipient's language (for what a channel adds itself, e.g. a WhatsApp template). */
  language?: string;
  /**
   * What the message is, without health data: a channel that may not send freely at the moment
   * (WhatsApp's 24-hour window) sends this as an approved template first. Without it, a generic notice.
   */
  notice?: MessageNotice;
}

/** The content-free notice of a message (see {@link OutgoingMessage.notice}). */
export type MessageNotice =
  { kind: 'doctor_answer'; caseCode: string; doctor: string } | { kind: 'case_update'; caseCode: string } | { kind: 'message' };

/** What a channel can show; the journey adapts its messages to it. */
export interface ChannelCapabilities {
  /** Tappable buttons (Telegram, web). Without them buttons become a numbered text menu. */
  buttons: boolean;
  /** Prefer short messages (basic phones on WhatsApp): shorter cards. */
  compact: boolean;
  /** The largest file the channel lets a bot download (Telegram's Bot API: 20 MB). */
  maxFileBytes?: number;
  /** How fast the outbox may send: one message per chat every `perChatMs`, `globalPerSecond` overall. */
  pacing?: { perChatMs: number; globalPerSecond: number };
  /**
   * Fewer, longer messages (WhatsApp, where each message counts towards a ban): the outbox hands
   * {@link MessagingChannel.sendMany} a chat's waiting messages together, up to this many characters.
   */
  mergeChars?: number;
  /**
   * The channel reports later whether each message reached the phone (WhatsApp's Cloud API statuses,
   * delivered to {@link Inbound.deliveryStatus}); the outbox keeps a sent message's text until then,
   * so a message the channel reports failed can be sent again.
   */
  confirmsDelivery?: boolean;
}

/**
 * How messages are shaped for each channel (buttons or a numbered menu, long or compact cards).
 * Known on every instance, including those where the channel's adapter does not run (WhatsApp runs
 * on one instance, but a doctor's reply to a WhatsApp patient may be written on any).
 */
export const MESSAGE_SHAPES: Record<ChannelName, Pick<ChannelCapabilities, 'buttons' | 'compact'>> = {
  telegram: { buttons: true, compact: false },
  whatsapp: { buttons: false, compact: true },
  web: { buttons: true, compact: false },
};

/** The port every channel adapter implements; adapters are registered as a list and picked by name. */
export interface MessagingChannel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** False while the channel cannot send (starting, disconnected): the outbox waits. */
  isReady(): boolean;
  /** Sends a message; resolves to the channel's message id once it is sent. Throws {@link ChannelSendError}. */
  send(chatId: string, message: OutgoingMessage): Promise<string>;
  /** With `capabilities.mergeChars`: sends several messages to one chat as one, in order. */
  sendMany?(chatId: string, messages: OutgoingMessage[]): Promise<string>;
  /**
   * Downloads a photo named by an incoming `photo.fileRef`. Throws {@link MediaUnavailableError} when
   * the file cannot be had (expired, too large for the channel), {@link ChannelSendError} otherwise.
   */
  downloadFile(fileRef: string): Promise<Buffer>;
}

/** A channel could not deliver or fetch; `retryable` when a later attempt may succeed. */
export class ChannelSendError extends Error {
  override name = 'ChannelSendError';
  constructor(
    readonly channel: ChannelName,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/**
 * The channel may not send to this chat until its person writes (WhatsApp's 24-hour customer-service
 * window has closed): the channel has asked them to (an approved template), and the message waits for
 * their reply, which the channel reports with {@link Inbound.activity}.
 */
export class AwaitingReplyError extends ChannelSendError {
  override name = 'AwaitingReplyError';
  constructor(channel: ChannelName, message: string) {
    super(channel, message, true);
  }
}

/** What a channel reports about a message it took (see {@link ChannelCapabilities.confirmsDelivery}). */
export interface DeliveryReport {
  channel: ChannelName;
  /** The id {@link MessagingChannel.send} resolved to. */
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** For `failed`: the channel's error, and what it means for the message. */
  error?: { code: number; title: string; outcome: 'retry' | 'await_reply' | 'give_up' };
}

/** The channel could not give us the patient's file: they must send it again. */
export class MediaUnavailableError extends Error {
  override name = 'MediaUnavailableError';
  constructor(
    readonly channel: ChannelName,
    readonly reason: 'expired' | 'too_large' | 'not_downloaded',
  ) {
    super(`Media unavailable on ${channel}: ${reason}`);
  }
}

/** Something that consumes normalised messages (the patient journey). */
export interface IncomingMessageHandler {
  handle(message: IncomingMessage): Promise<void>;
}
