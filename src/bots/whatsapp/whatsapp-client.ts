import type { AppConfig } from '@/config/app-config';

/** The media of a WhatsApp message, as whatsapp-web.js's `MessageMedia` gives it (base64 data). */
export interface WhatsAppMedia {
  mimetype: string;
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

/** The part of whatsapp-web.js's `Message` the adapter reads. */
export interface WhatsAppMessage {
  id: { _serialized: string };
  from: string;
  fromMe: boolean;
  body: string;
  type: string;
  /** When it was sent, in seconds since 1970. */
  timestamp: number;
  hasMedia: boolean;
  /** May resolve to undefined or null while the media is still downloading or after it expired. */
  downloadMedia(): Promise<WhatsAppMedia | undefined | null>;
}

/** The part of whatsapp-web.js's `Chat` the adapter reads to catch up on messages that came while it was away. */
export interface WhatsAppChat {
  id: { _serialized: string };
  isGroup: boolean;
  unreadCount: number;
  /** The chat's last `limit` messages, oldest first (ours among them). */
  fetchMessages(options: { limit: number }): Promise<WhatsAppMessage[]>;
}

/**
 * The part of whatsapp-web.js's `Client` the adapter uses. The real Client is created by
 * {@link createWhatsAppClient}; tests inject a fake with the same events and methods.
 */
export interface WhatsAppClient {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'message', listener: (message: WhatsAppMessage) => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'change_state', listener: (state: string) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }>;
  /** Every chat; those with unread messages hold what arrived while the service was away. */
  getChats(): Promise<WhatsAppChat[]>;
  /** A message by its id (its media can be downloaded again after a restart); undefined if gone. */
  getMessageById(messageId: string): Promise<WhatsAppMessage | undefined>;
  /** Marks a chat's messages read (the phone shows them handled; the next catch-up skips them). */
  sendSeen(chatId: string): Promise<boolean>;
}

export type WhatsAppClientFactory = (config: NonNullable<AppConfig['whatsapp']>) => WhatsAppClient;

export const WHATSAPP_CLIENT_FACTORY = Symbol('WHATSAPP_CLIENT_FACTORY');

/**
 * The real client: whatsapp-web.js driving Debian's Chromium (never a downloaded browser), with the
 * LocalAuth session under DATA_DIR so a restart needs no new QR scan.
 */
export const createWhatsAppClient: WhatsAppClientFactory = (config) => {
  // Loaded lazily: the library (and puppeteer) are only needed when WhatsApp is enabled.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client, LocalAuth } = require('whatsapp-web.js') as typeof import('whatsapp-web.js');
  return new Client({
    authStrategy: new LocalAuth({ dataPath: config.sessionDir }),
    puppeteer: {
      executablePath: config.chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
    },
  });
};
