import type { Update } from 'telegraf/types';
import type { IncomingMessage, UnsupportedKind } from '../channel.port';

/** A message or button press from the doctors' group, normalised (the doctors module's input). */
export interface GroupEvent {
  chatId: string;
  fromId: string;
  fromName: string;
  messageId: string;
  /** Set for button presses: the callback query id to acknowledge and the button's data. */
  action?: { callbackId: string; data: string; messageId?: string };
  text?: string;
  replyToMessageId?: string;
  /** A photo posted in the group (file id), e.g. not used by doctors yet but never crashing. */
  photoRef?: string;
}

const MAX_TEXT = 4096;

/** Converts a Telegram update from a private chat into our {@link IncomingMessage}; undefined when it is not for us. */
export function normalizePrivateUpdate(update: Update): IncomingMessage | undefined {
  if ('callback_query' in update) {
    const q = update.callback_query;
    if (!q.message || !('data' in q) || typeof q.data !== 'string') return undefined;
    return {
      channel: 'telegram',
      kind: 'action',
      chatId: String(q.message.chat.id),
      messageId: `cb:${q.id}`,
      languageCode: q.from.language_code,
      data: q.data.slice(0, 64),
    };
  }
  if (!('message' in update)) return undefined;
  const m = update.message;
  const base = {
    channel: 'telegram' as const,
    chatId: String(m.chat.id),
    // message_id is unique only within a chat
    messageId: `${m.chat.id}:${m.message_id}`,
    languageCode: m.from?.language_code,
    replyToMessageId: 'reply_to_message' in m && m.reply_to_message ? String(m.reply_to_message.message_id) : undefined,
  };
  if ('photo' in m && Array.isArray(m.photo) && m.photo.length) {
    const largest = m.photo.reduce((a, b) => ((b.width ?? 0) * (b.height ?? 0) > (a.width ?? 0) * (a.height ?? 0) ? b : a));
    return { ...base, kind: 'photo', fileRef: largest.file_id, mimeType: 'image/jpeg', fileSize: largest.file_size };
  }
  if ('document' in m && m.document) {
    const mime = m.document.mime_type ?? '';
    if (mime.startsWith('image/')) {
      return { ...base, kind: 'photo', fileRef: m.document.file_id, mimeType: mime, fileSize: m.document.file_size };
    }
    return { ...base, kind: 'unsupported', what: 'document' };
  }
  if ('text' in m && typeof m.text === 'string') {
    const text = m.text.slice(0, MAX_TEXT);
    const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text);
    if (command) return { ...base, kind: 'command', command: command[1].toLowerCase(), args: (command[2] ?? '').trim() };
    return { ...base, kind: 'text', text };
  }
  const unsupported: [string, UnsupportedKind][] = [
    ['video', 'video'],
    ['video_note', 'video'],
    ['animation', 'video'],
    ['sticker', 'sticker'],
    ['voice', 'voice'],
    ['audio', 'audio'],
    ['location', 'location'],
    ['contact', 'contact'],
  ];
  const what = unsupported.find(([field]) => field in m)?.[1] ?? 'other';
  return { ...base, kind: 'unsupported', what };
}

/** Converts an update from the doctors' group into a {@link GroupEvent}; undefined when it is not usable. */
export function normalizeGroupUpdate(update: Update): GroupEvent | undefined {
  if ('callback_query' in update) {
    const q = update.callback_query;
    if (!q.message || !('data' in q) || typeof q.data !== 'string') return undefined;
    return {
      chatId: String(q.message.chat.id),
      fromId: String(q.from.id),
      fromName: [q.from.first_name, q.from.last_name].filter(Boolean).join(' '),
      messageId: String(q.message.message_id),
      action: { callbackId: q.id, data: q.data.slice(0, 64), messageId: String(q.message.message_id) },
    };
  }
  if (!('message' in update)) return undefined;
  const m = update.message;
  if (!m.from) return undefined;
  return {
    chatId: String(m.chat.id),
    fromId: String(m.from.id),
    fromName: [m.from.first_name, m.from.last_name].filter(Boolean).join(' '),
    messageId: String(m.message_id),
    text: 'text' in m && typeof m.text === 'string' ? m.text.slice(0, MAX_TEXT) : 'caption' in m ? m.caption?.slice(0, MAX_TEXT) : undefined,
    replyToMessageId: 'reply_to_message' in m && m.reply_to_message ? String(m.reply_to_message.message_id) : undefined,
    photoRef: 'photo' in m && Array.isArray(m.photo) && m.photo.length ? m.photo[m.photo.length - 1].file_id : undefined,
  };
}

/** The chat an update belongs to, and whether it is a private chat. */
export function updateChat(update: Update): { id: string; private: boolean } | undefined {
  const chat =
    'message' in update ? update.message.chat : 'callback_query' in update ? update.callback_query.message?.chat : undefined;
  return chat ? { id: String(chat.id), private: chat.type === 'private' } : undefined;
}
