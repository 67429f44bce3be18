import type { CloudInboundMessage, CloudWebhook } from './cloud-webhook.types';
import {
  chatIdOf,
  chatsAnsweringByNumber,
  cloudEvents,
  normalizeCloudMessage,
  OPEN_WINDOW_PAYLOAD,
  waIdOf,
} from './cloud.normalizer';

const PHONE_ID = '1098765432';
const msg = (fields: Partial<CloudInboundMessage>): CloudInboundMessage => ({
  from: '254700000001',
  id: 'wamid.ABC',
  timestamp: '1700000000',
  type: 'text',
  ...fields,
});
const webhook = (value: Record<string, unknown>, phoneNumberId = PHONE_ID): CloudWebhook => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: phoneNumberId }, ...value } }] }],
});

describe('WhatsApp Cloud API normalizer', () => {
  it('should name chats as whatsapp-web.js does, so both modes share patients and the outbox', () => {
    expect(chatIdOf('254700000001')).toBe('254700000001@c.us');
    expect(waIdOf('254700000001@c.us')).toBe('254700000001');
  });

  it('should read texts as commands, menu numbers or text, and button and list replies as actions', () => {
    expect(normalizeCloudMessage(msg({ text: { body: 'STATUS' } }), undefined)).toMatchObject({
      channel: 'whatsapp',
      chatId: '254700000001@c.us',
      kind: 'command',
      command: 'status',
    });
    expect(normalizeCloudMessage(msg({ text: { body: '2' } }), ['a', 'b'])).toMatchObject({ kind: 'action', data: 'b' });
    expect(normalizeCloudMessage(msg({ text: { body: 'it itches' } }), undefined)).toMatchObject({
      kind: 'text',
      text: 'it itches',
    });
    const button = msg({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'consent:yes', title: 'I agree' } },
    });
    expect(normalizeCloudMessage(button, undefined)).toMatchObject({ kind: 'action', data: 'consent:yes' });
    const row = msg({
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'lang:fr', title: 'Français' } },
    });
    expect(normalizeCloudMessage({ ...row, context: { id: 'wamid.MENU' } }, undefined)).toMatchObject({
      kind: 'action',
      data: 'lang:fr',
      replyToMessageId: 'wamid.MENU',
    });
  });

  it("should read our template's button as opening the window, photos by media id, and the rest as unsupported", () => {
    expect(
      normalizeCloudMessage(msg({ type: 'button', button: { payload: OPEN_WINDOW_PAYLOAD, text: 'Read it' } }), undefined),
    ).toBe('open_window');
    expect(
      normalizeCloudMessage(msg({ type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } }), undefined),
    ).toMatchObject({
      kind: 'photo',
      fileRef: 'media-1',
    });
    expect(
      normalizeCloudMessage(msg({ type: 'document', document: { id: 'media-2', mime_type: 'image/png' } }), undefined),
    ).toMatchObject({
      kind: 'photo',
      fileRef: 'media-2',
    });
    expect(
      normalizeCloudMessage(msg({ type: 'document', document: { id: 'm', mime_type: 'application/pdf' } }), undefined),
    ).toMatchObject({
      kind: 'unsupported',
      what: 'document',
    });
    expect(normalizeCloudMessage(msg({ type: 'audio' }), undefined)).toMatchObject({ kind: 'unsupported', what: 'audio' });
    expect(normalizeCloudMessage(msg({ type: 'sticker' }), undefined)).toMatchObject({ kind: 'unsupported', what: 'sticker' });
    expect(normalizeCloudMessage(msg({ type: 'reaction' }), undefined)).toBeUndefined();
  });

  it("should take messages and statuses of our number only, in order, with the message's time", () => {
    const events = cloudEvents(
      webhook({
        messages: [msg({ id: 'wamid.1', text: { body: 'hello' } }), msg({ id: 'wamid.2', text: { body: 'again' } })],
        statuses: [{ id: 'wamid.OUT', status: 'delivered', recipient_id: '254700000001' }],
      }),
      PHONE_ID,
      () => undefined,
    );
    expect(events.map((e) => (e.kind === 'message' ? e.wamid : e.status.status))).toEqual(['wamid.1', 'wamid.2', 'delivered']);
    expect(events[0]).toMatchObject({ kind: 'message', chatId: '254700000001@c.us', at: 1700000000000 });
    expect(cloudEvents(webhook({ messages: [msg({})] }, '999'), PHONE_ID, () => undefined)).toEqual([]);
    expect(cloudEvents({ object: 'page' }, PHONE_ID, () => undefined)).toEqual([]);
  });

  it('should name the chats that answered by number, whose menus must be looked up, and no others', () => {
    const body = webhook({
      messages: [
        msg({ from: '254700000001', id: 'wamid.1', text: { body: ' 2. ' } }),
        msg({ from: '254700000002', id: 'wamid.2', text: { body: 'hello' } }),
        msg({ from: '254700000003', id: 'wamid.3', type: 'image', image: { id: 'media-1' } }),
        msg({ from: '254700000001', id: 'wamid.4', text: { body: '3' } }),
      ],
    });
    expect(chatsAnsweringByNumber(body, PHONE_ID)).toEqual(['254700000001@c.us']);
    expect(chatsAnsweringByNumber(body, '999')).toEqual([]);
  });
});
