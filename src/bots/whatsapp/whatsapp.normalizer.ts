import type { IncomingMessage, UnsupportedKind } from '@/messaging/channel.port';
import type { WhatsAppMessage } from './whatsapp-client';

const COMMANDS = ['start', 'help', 'status', 'delete', 'language', 'new'];
const MAX_TEXT = 4096;

const UNSUPPORTED: Record<string, UnsupportedKind> = {
  video: 'video',
  sticker: 'sticker',
  ptt: 'voice',
  audio: 'audio',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
};

type IncomingFields = Pick<IncomingMessage, 'channel' | 'chatId' | 'messageId' | 'replyToMessageId'>;

/**
 * A WhatsApp text, in either mode: a bare number answers the numbered menu last sent to the chat
 * (`menu`), a bare keyword (START, HELP, STATUS, DELETE, LANGUAGE, NEW, with or without a slash) is a
 * command, anything else is text.
 */
/** A reply that answers a numbered menu: a number, perhaps with a full stop ("2", "2."). */
export const MENU_CHOICE = /^(\d{1,2})\.?$/;

export function normalizeWhatsAppText(base: IncomingFields, body: string, menu: string[] | undefined): IncomingMessage {
  const text = body.slice(0, MAX_TEXT);
  const trimmed = text.trim();
  const choice = MENU_CHOICE.exec(trimmed);
  if (choice && menu) {
    const data = menu[Number(choice[1]) - 1];
    if (data) return { ...base, kind: 'action', data };
  }
  const command = /^\/?([a-z]+)$/i.exec(trimmed);
  if (command && COMMANDS.includes(command[1].toLowerCase())) {
    return { ...base, kind: 'command', command: command[1].toLowerCase(), args: '' };
  }
  return { ...base, kind: 'text', text };
}

/**
 * Converts a whatsapp-web.js message into our {@link IncomingMessage}. Basic phones have no buttons:
 * texts are read by {@link normalizeWhatsAppText}.
 * Returns undefined for what is not a patient's message (our own, groups, status updates).
 */
export function normalizeWhatsAppMessage(m: WhatsAppMessage, menu: string[] | undefined): IncomingMessage | undefined {
  if (m.fromMe || !m.from.endsWith('@c.us')) return undefined;
  const base = { channel: 'whatsapp' as const, chatId: m.from, messageId: m.id._serialized };
  if (m.type === 'image' || m.type === 'document') {
    return { ...base, kind: 'photo', fileRef: m.id._serialized };
  }
  if (m.type === 'chat') return normalizeWhatsAppText(base, m.body ?? '', menu);
  return { ...base, kind: 'unsupported', what: UNSUPPORTED[m.type] ?? 'other' };
}
