import type { IncomingMessage, UnsupportedKind } from '@/messaging/channel.port';
import { MENU_CHOICE, normalizeWhatsAppText } from '../whatsapp.normalizer';
import type { CloudInboundMessage, CloudStatus, CloudWebhook } from './cloud-webhook.types';

/** The payload of our templates' quick-reply button: it opens the window and says nothing else. */
export const OPEN_WINDOW_PAYLOAD = 'dermlink:open';

const UNSUPPORTED: Record<string, UnsupportedKind> = {
  video: 'video',
  sticker: 'sticker',
  audio: 'audio',
  voice: 'voice',
  location: 'location',
  contacts: 'contact',
};

const IMAGE_TYPES = /^image\/(jpeg|png|webp|heic|heif)$/i;

/**
 * The chat id of a WhatsApp id (the person's number): `<digits>@c.us`, as whatsapp-web.js names it, so
 * patients, outreach workers and the outbox are the same in both modes.
 */
export function chatIdOf(waId: string): string {
  return `${waId.replace(/\D/g, '')}@c.us`;
}

/** The Cloud API's recipient (`to`) for a chat id. */
export function waIdOf(chatId: string): string {
  return chatId.replace(/@c\.us$/, '');
}

/** One inbound event of a webhook POST, in the order Meta listed them (`chatId` as {@link chatIdOf} makes it). */
export type CloudEvent =
  | { kind: 'message'; chatId: string; wamid: string; at: number; message: IncomingMessage | 'open_window' | undefined }
  | { kind: 'status'; status: CloudStatus };

/**
 * The events of a webhook POST for our phone number (others' are ignored): patients' messages as our
 * {@link IncomingMessage} (`open_window` for our templates' button; undefined for what is not for the
 * journey, e.g. a reaction or a system notice), and delivery statuses. `menu` gives the numbered menu
 * last sent to a chat, for a reply by number.
 */
export function cloudEvents(
  body: CloudWebhook,
  phoneNumberId: string,
  menu: (chatId: string) => string[] | undefined,
): CloudEvent[] {
  const events: CloudEvent[] = [];
  for (const value of ourValues(body, phoneNumberId)) {
    for (const m of value.messages ?? []) {
      if (!m?.from || !m.id) continue;
      const chatId = chatIdOf(m.from);
      events.push({
        kind: 'message',
        chatId,
        wamid: m.id,
        at: cloudTime(m.timestamp),
        message: normalizeCloudMessage(m, menu(chatId)),
      });
    }
    for (const s of value.statuses ?? []) if (s?.id && s.status) events.push({ kind: 'status', status: s });
  }
  return events;
}

/**
 * The chats that answered by number in a webhook POST for our phone number: their last menus are
 * looked up for {@link cloudEvents}.
 */
export function chatsAnsweringByNumber(body: CloudWebhook, phoneNumberId: string): string[] {
  const chats = new Set<string>();
  for (const value of ourValues(body, phoneNumberId))
    for (const m of value.messages ?? [])
      if (m?.from && m.id && m.type === 'text' && MENU_CHOICE.test((m.text?.body ?? '').trim())) chats.add(chatIdOf(m.from));
  return [...chats];
}

function* ourValues(body: CloudWebhook, phoneNumberId: string) {
  for (const entry of body.entry ?? [])
    for (const change of entry.changes ?? []) {
      const value = change.value;
      if (change.field === 'messages' && value && value.metadata?.phone_number_id === phoneNumberId) yield value;
    }
}

/** A webhook's `timestamp` (unix seconds) in milliseconds, never in the future; now when it is missing or invalid. */
export function cloudTime(timestamp: string | undefined): number {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, Date.now()) : Date.now();
}

/** One Cloud API message as the journey sees it. */
export function normalizeCloudMessage(
  m: CloudInboundMessage,
  menu: string[] | undefined,
): IncomingMessage | 'open_window' | undefined {
  const base = {
    channel: 'whatsapp' as const,
    chatId: chatIdOf(m.from),
    messageId: m.id,
    ...(m.context?.id ? { replyToMessageId: m.context.id } : {}),
  };
  switch (m.type) {
    case 'text':
      return normalizeWhatsAppText(base, m.text?.body ?? '', menu);
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply?.id ? { ...base, kind: 'action', data: reply.id } : { ...base, kind: 'unsupported', what: 'other' };
    }
    case 'button':
      if (m.button?.payload === OPEN_WINDOW_PAYLOAD) return 'open_window';
      return normalizeWhatsAppText(base, m.button?.text ?? '', menu);
    case 'image':
      return m.image?.id ? { ...base, kind: 'photo', fileRef: m.image.id, mimeType: m.image.mime_type } : undefined;
    case 'document':
      // A photo sent as a file keeps its full resolution; other documents are not photos.
      if (m.document?.id && IMAGE_TYPES.test(m.document.mime_type ?? ''))
        return { ...base, kind: 'photo', fileRef: m.document.id, mimeType: m.document.mime_type };
      return { ...base, kind: 'unsupported', what: 'document' };
    case 'reaction':
    case 'system':
    case 'ephemeral':
      return undefined;
    default:
      return { ...base, kind: 'unsupported', what: UNSUPPORTED[m.type] ?? 'other' };
  }
}
