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

/**
 * Converts a whatsapp-web.js message into our {@link IncomingMessage}. Basic phones have no buttons:
 * a bare number answers the numbered menu last sent to that chat (`menu`), and a bare keyword
 * (START, HELP, STATUS, DELETE, LANGUAGE, NEW, with or without a slash) is a command.
 * Returns undefined for what is not a patient's message (our own, groups, status updates).
 */
export function normalizeWhatsAppMessage(m: WhatsAppMessage, menu: string[] | undefined): IncomingMessage | undefined {
  if (m.fromMe || !m.from.endsWith('@c.us')) return undefined;
  const base = { channel: 'whatsapp' as const, chatId: m.from, messageId: m.id._serialized };
  if (m.type === 'image' || m.type === 'document') {
    return { ...base, kind: 'photo', fileRef: m.id._serialized };
  }
  if (m.type === 'chat') {
    const text = (m.body ?? '').slice(0, MAX_TEXT);
    const trimmed = text.trim();
    const choice = /^(\d{1,2})\.?$/.exec(trimmed);
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
  return { ...base, kind: 'unsupported', what: UNSUPPORTED[m.type] ?? 'other' };
}
