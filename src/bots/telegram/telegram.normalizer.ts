import type { Update } from 'telegraf/types';
import type { DoctorsGroupEvent } from '@/messaging/doctors-group.port';
import type { IncomingMessage, UnsupportedKind } from '@/messaging/channel.port';

const MAX_TEXT = 4096;

// Updates are checked field by field: a webhook can be sent anything, and nothing here may throw.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const id = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v ? v : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function chatOf(message: Obj | undefined): { id: string; private: boolean } | undefined {
  const chat = obj(message?.chat);
  const chatId = id(chat?.id);
  return chat && chatId ? { id: chatId, private: chat.type === 'private' } : undefined;
}

function callbackOf(update: Obj): { q: Obj; message: Obj; data: string; id: string } | undefined {
  const q = obj(update.callback_query);
  const message = obj(q?.message);
  const data = str(q?.data);
  const qid = id(q?.id);
  return q && message && data !== undefined && qid ? { q, message, data: data.slice(0, 64), id: qid } : undefined;
}

function largestPhoto(v: unknown): { file_id: string; file_size?: number } | undefined {
  if (!Array.isArray(v)) return undefined;
  let best: { file_id: string; file_size?: number; area: number } | undefined;
  for (const p of v.map(obj)) {
    const fileId = str(p?.file_id);
    if (!fileId) continue;
    const area = (num(p?.width) ?? 0) * (num(p?.height) ?? 0);
    if (!best || area > best.area) best = { file_id: fileId, file_size: num(p?.file_size), area };
  }
  return best;
}

const UNSUPPORTED: [string, UnsupportedKind][] = [
  ['video', 'video'],
  ['video_note', 'video'],
  ['animation', 'video'],
  ['sticker', 'sticker'],
  ['voice', 'voice'],
  ['audio', 'audio'],
  ['location', 'location'],
  ['contact', 'contact'],
];

/** Converts a Telegram update from a private chat into our {@link IncomingMessage}; undefined when it is not for us. */
export function normalizePrivateUpdate(update: Update): IncomingMessage | undefined {
  const u = update as unknown as Obj;
  const cb = callbackOf(u);
  if (cb) {
    const chat = chatOf(cb.message);
    if (!chat) return undefined;
    const from = obj(cb.q.from);
    return {
      channel: 'telegram',
      kind: 'action',
      chatId: chat.id,
      messageId: `cb:${cb.id}`,
      languageCode: str(from?.language_code),
      data: cb.data,
    };
  }
  const m = obj(u.message);
  const chat = chatOf(m);
  const messageId = id(m?.message_id);
  if (!m || !chat || !messageId) return undefined;
  const replyTo = id(obj(m.reply_to_message)?.message_id);
  const base = {
    channel: 'telegram' as const,
    chatId: chat.id,
    // message_id is unique only within a chat
    messageId: `${chat.id}:${messageId}`,
    languageCode: str(obj(m.from)?.language_code),
    replyToMessageId: replyTo,
  };
  const photo = largestPhoto(m.photo);
  if (photo) return { ...base, kind: 'photo', fileRef: photo.file_id, mimeType: 'image/jpeg', fileSize: photo.file_size };
  const document = obj(m.document);
  if (document) {
    const mime = str(document.mime_type) ?? '';
    const fileId = str(document.file_id);
    if (mime.startsWith('image/') && fileId)
      return { ...base, kind: 'photo', fileRef: fileId, mimeType: mime, fileSize: num(document.file_size) };
    return { ...base, kind: 'unsupported', what: 'document' };
  }
  const text = str(m.text);
  if (text !== undefined) {
    const capped = text.slice(0, MAX_TEXT);
    const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(capped);
    if (command) return { ...base, kind: 'command', command: command[1].toLowerCase(), args: (command[2] ?? '').trim() };
    return { ...base, kind: 'text', text: capped };
  }
  const what = UNSUPPORTED.find(([field]) => field in m)?.[1] ?? 'other';
  return { ...base, kind: 'unsupported', what };
}

/** Converts an update from the doctors' group into a {@link DoctorsGroupEvent}; undefined when it is not usable. */
export function normalizeGroupUpdate(update: Update): DoctorsGroupEvent | undefined {
  const u = update as unknown as Obj;
  const name = (from: Obj | undefined) => [str(from?.first_name), str(from?.last_name)].filter(Boolean).join(' ');
  const cb = callbackOf(u);
  if (cb) {
    const chat = chatOf(cb.message);
    const from = obj(cb.q.from);
    const fromId = id(from?.id);
    const messageId = id(cb.message.message_id);
    if (!chat || !fromId || !messageId) return undefined;
    return { fromId, fromName: name(from), messageId, action: { callbackId: cb.id, data: cb.data } };
  }
  const m = obj(u.message);
  const chat = chatOf(m);
  const from = obj(m?.from);
  const fromId = id(from?.id);
  const messageId = id(m?.message_id);
  if (!m || !chat || !fromId || !messageId) return undefined;
  const reply = obj(m.reply_to_message);
  const replyToActions = buttonData(reply);
  return {
    fromId,
    fromName: name(from),
    messageId,
    text: (str(m.text) ?? str(m.caption))?.slice(0, MAX_TEXT),
    replyToMessageId: id(reply?.message_id),
    ...(replyToActions.length ? { replyToActions } : {}),
  };
}

/** The data of a message's inline buttons, opaque here (the domain's codecs read it); at most 20. */
function buttonData(message: Obj | undefined): string[] {
  const rows = obj(message?.reply_markup)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  const data: string[] = [];
  for (const row of rows) {
    for (const button of Array.isArray(row) ? row : []) {
      const d = str(obj(button)?.callback_data);
      if (d !== undefined) data.push(d.slice(0, 64));
    }
  }
  return data.slice(0, 20);
}

/** The chat an update belongs to, and whether it is a private chat. */
export function updateChat(update: Update): { id: string; private: boolean } | undefined {
  const u = update as unknown as Obj;
  return chatOf(obj(u.message)) ?? chatOf(obj(obj(u.callback_query)?.message));
}

/**
 * What makes an update the same when Telegram delivers it again (after a crash, or to a new poller
 * before the old one confirmed it): its message in its chat, or its button press. Undefined for
 * anything else.
 */
export function updateKey(update: Update): string | undefined {
  const u = update as unknown as Obj;
  const message = obj(u.message);
  const chat = chatOf(message);
  const messageId = id(message?.message_id);
  if (chat && messageId) return `m:${chat.id}:${messageId}`;
  const callback = callbackOf(u);
  return callback ? `c:${callback.id}` : undefined;
}
