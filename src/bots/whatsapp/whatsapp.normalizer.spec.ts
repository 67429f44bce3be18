import type { WhatsAppMessage } from './whatsapp-client';
import { createWhatsAppClient } from './whatsapp-client';
import { normalizeWhatsAppMessage } from './whatsapp.normalizer';

const msg = (fields: Partial<WhatsAppMessage>): WhatsAppMessage => ({
  id: { _serialized: 'false_254700000001@c.us_ABC' },
  from: '254700000001@c.us',
  fromMe: false,
  body: '',
  type: 'chat',
  timestamp: 1_790_000_000,
  hasMedia: false,
  downloadMedia: () => Promise.resolve(undefined),
  ...fields,
});

describe('normalizeWhatsAppMessage', () => {
  it('should map a bare number to the option of the last menu, and keep other numbers as text', () => {
    expect(normalizeWhatsAppMessage(msg({ body: ' 2 ' }), ['consent:yes', 'consent:no'])).toMatchObject({
      kind: 'action',
      data: 'consent:no',
    });
    expect(normalizeWhatsAppMessage(msg({ body: '47' }), ['a', 'b'])).toMatchObject({ kind: 'text', text: '47' });
    expect(normalizeWhatsAppMessage(msg({ body: '1' }), undefined)).toMatchObject({ kind: 'text' });
  });

  it('should read bare keywords as commands, with or without a slash', () => {
    expect(normalizeWhatsAppMessage(msg({ body: 'STATUS' }), undefined)).toMatchObject({ kind: 'command', command: 'status' });
    expect(normalizeWhatsAppMessage(msg({ body: '/delete' }), undefined)).toMatchObject({ kind: 'command', command: 'delete' });
    expect(normalizeWhatsAppMessage(msg({ body: 'status of my mole?' }), undefined)).toMatchObject({ kind: 'text' });
  });

  it('should treat images and documents as photos and name other media', () => {
    expect(normalizeWhatsAppMessage(msg({ type: 'image', hasMedia: true }), undefined)).toMatchObject({
      kind: 'photo',
      fileRef: 'false_254700000001@c.us_ABC',
    });
    expect(normalizeWhatsAppMessage(msg({ type: 'ptt', hasMedia: true }), undefined)).toMatchObject({
      kind: 'unsupported',
      what: 'voice',
    });
    expect(normalizeWhatsAppMessage(msg({ type: 'poll_creation' }), undefined)).toMatchObject({
      kind: 'unsupported',
      what: 'other',
    });
  });

  it('should ignore our own messages, groups and status broadcasts', () => {
    expect(normalizeWhatsAppMessage(msg({ fromMe: true }), undefined)).toBeUndefined();
    expect(normalizeWhatsAppMessage(msg({ from: '1203630@g.us' }), undefined)).toBeUndefined();
    expect(normalizeWhatsAppMessage(msg({ from: 'status@broadcast' }), undefined)).toBeUndefined();
  });
});

describe('createWhatsAppClient', () => {
  it("should build whatsapp-web.js's Client on Debian's Chromium with the session under DATA_DIR", () => {
    const client = createWhatsAppClient({
      sessionDir: '/srv/dermlink/data/whatsapp-session',
      chromiumPath: '/usr/bin/chromium',
      chatIntervalMs: 1,
      globalIntervalMs: 1,
    }) as unknown as {
      options: { puppeteer: { executablePath: string; headless: boolean }; authStrategy: { dataPath: string } };
    };
    expect(client.options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true });
    expect(client.options.authStrategy.dataPath).toBe('/srv/dermlink/data/whatsapp-session');
  });
});
