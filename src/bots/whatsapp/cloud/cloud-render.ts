import type { Button, OutgoingMessage } from '@/messaging/channel.port';
import { splitText } from '../../shared/split-text';

const TEXT_LIMIT = 4096;
const INTERACTIVE_BODY_LIMIT = 1024;
const CAPTION_LIMIT = 1024;
const MAX_REPLY_BUTTONS = 3;
const BUTTON_TITLE_LIMIT = 20;
const MAX_LIST_ROWS = 10;
const ROW_TITLE_LIMIT = 24;
const ROW_DESCRIPTION_LIMIT = 72;
const LIST_BUTTON_LIMIT = 20;

/** A Graph API message body without the recipient, and the menu a reply by number answers (numbered menus only). */
export interface RenderedMessage {
  body: Record<string, unknown>;
  menu?: string[];
}

/**
 * Shapes a message for the Cloud API: reply buttons for up to 3 short options, a list for up to 10,
 * and otherwise (more options, or a text too long for an interactive message) the numbered text menu
 * basic phones know from whatsapp-web.js. Long texts are split; the options go with the last part.
 * `listButton` is the localised label of the list's button. A photo goes by upload instead ({@link photoMessage}).
 */
export function renderCloudMessage(message: OutgoingMessage, listButton: string): RenderedMessage[] {
  const options = (message.buttons ?? []).flat();
  const context = message.replyToMessageId?.startsWith('wamid.') ? { context: { message_id: message.replyToMessageId } } : {};
  const parts = splitText(message.text, TEXT_LIMIT);
  const last = parts.pop()!;
  const rendered: RenderedMessage[] = parts.map((part) => ({ body: textBody(part) }));
  rendered.push(lastPart(last, options, listButton, message.menuPrompt));
  if (context.context) rendered[0].body = { ...rendered[0].body, ...context };
  return rendered;
}

/** The image message for a media id that was uploaded (the text as its caption, cut to the caption's length). */
export function photoMessage(mediaId: string, message: OutgoingMessage): Record<string, unknown> {
  return { type: 'image', image: { id: mediaId, caption: message.text.slice(0, CAPTION_LIMIT) } };
}

function lastPart(text: string, options: Button[], listButton: string, menuPrompt?: string): RenderedMessage {
  if (!options.length) return { body: textBody(text) };
  if (text.length <= INTERACTIVE_BODY_LIMIT && text.trim()) {
    if (options.length <= MAX_REPLY_BUTTONS && options.every((o) => o.label.length <= BUTTON_TITLE_LIMIT))
      return {
        body: {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text },
            action: { buttons: options.map((o) => ({ type: 'reply', reply: { id: o.data, title: o.label } })) },
          },
        },
      };
    if (options.length <= MAX_LIST_ROWS)
      return {
        body: {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text },
            action: {
              button: cut(listButton, LIST_BUTTON_LIMIT),
              sections: [{ rows: options.map(listRow) }],
            },
          },
        },
      };
  }
  const menu = `${menuPrompt ?? 'Reply with a number:'}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
  return { body: textBody(`${text}\n\n${menu}`.slice(0, TEXT_LIMIT)), menu: options.map((o) => o.data) };
}

/** A list row: the label as its title, or cut with the whole label below it when it is longer. */
function listRow(o: Button): Record<string, string> {
  if (o.label.length <= ROW_TITLE_LIMIT) return { id: o.data, title: o.label };
  return { id: o.data, title: cut(o.label, ROW_TITLE_LIMIT), description: cut(o.label, ROW_DESCRIPTION_LIMIT) };
}

function textBody(text: string): Record<string, unknown> {
  return { type: 'text', text: { preview_url: false, body: text || '…' } };
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
