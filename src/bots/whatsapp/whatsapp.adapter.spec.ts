import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadConfig } from '@/config/app-config';
import { I18nService } from '@/i18n/i18n.service';
import { lesionLike } from '../../../test/support/synthetic';
import { ChannelSendError, IncomingMessage, MediaUnavailableError } from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import { Inbound } from '@/messaging/inbound';
import { FakeDoctorsGroup, until } from '../../../test/support/fakes';
import { FakeWhatsAppClient } from '../../../test/fake-whatsapp/fake-client';
import { serviceModule } from '../../../test/support/service-module';
import { HandledUpdate } from '../shared/handled-update.entity';
import { HandledUpdates } from '../shared/handled-updates';
import { ChatMenu } from './chat-menu.entity';
import { ChatMenus } from './chat-menus';
import { WhatsAppAdapter } from './whatsapp.adapter';

const CHAT = '254711000001@c.us';

describe(WhatsAppAdapter.name, () => {
  let client: FakeWhatsAppClient;
  let adapter: WhatsAppAdapter;
  let registry: ChannelRegistry;
  let group: FakeDoctorsGroup;
  let received: IncomingMessage[];
  let db: INestApplication;
  let menus: ChatMenus;
  let handled: HandledUpdates;
  let config: ReturnType<typeof loadConfig>;
  let inbound: Inbound;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    // The menus live in a real SQLite database (one per suite): a number must be understood after a restart.
    ({ app: db } = await serviceModule([TypeOrmModule.forFeature([ChatMenu, HandledUpdate])], {
      providers: [ChatMenus, HandledUpdates],
    }));
    menus = db.get(ChatMenus);
    handled = db.get(HandledUpdates);
  });
  afterAll(async () => {
    await db?.close();
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  /** A new adapter on the current client and the suite's database, logged in (a start or a restart). */
  async function startAdapter(into = new ChannelRegistry()): Promise<void> {
    adapter = new WhatsAppAdapter(config, inbound, () => client, into, new I18nService(config), menus, handled, group);
    adapter.onApplicationBootstrap();
    await until(() => adapter.isReady(), 'the client to log in');
  }

  beforeEach(async () => {
    config = loadConfig({ DATA_DIR: '/tmp/dermlink-wa-spec', WHATSAPP_ENABLED: 'true' });
    client = new FakeWhatsAppClient();
    registry = new ChannelRegistry();
    group = new FakeDoctorsGroup();
    received = [];
    inbound = new Inbound();
    inbound.receivePatientMessages({ handle: (m) => Promise.resolve(void received.push(m)) });
    await startAdapter(registry);
  });

  afterEach(async () => {
    await adapter.beforeApplicationShutdown();
  });

  it('should register itself as the whatsapp channel, with menus instead of buttons and merged sends', () => {
    expect(registry.get('whatsapp')).toBe(adapter);
    expect(adapter.capabilities).toMatchObject({ buttons: false, compact: true, mergeChars: 3000 });
  });

  describe('incoming messages', () => {
    it('should deliver a text, normalised, to Inbound', async () => {
      client.sendText(CHAT, 'hello');
      const [m] = await until(() => received.length > 0 && received, 'the message');
      expect(m).toMatchObject({ channel: 'whatsapp', chatId: CHAT, kind: 'text', text: 'hello' });
    });

    it("should read a number answering the last menu as that option's action", async () => {
      await adapter.send(CHAT, {
        text: 'Agree?',
        buttons: [
          [
            { label: 'Yes', data: 'consent:yes' },
            { label: 'No', data: 'consent:no' },
          ],
        ],
        menuPrompt: 'Reply with the number:',
      });
      expect(client.textsTo(CHAT)).toEqual(['Agree?\n\nReply with the number:\n1. Yes\n2. No']);
      client.sendText(CHAT, '2');
      const [m] = await until(() => received.length > 0 && received, 'the answer');
      expect(m).toMatchObject({ kind: 'action', data: 'consent:no' });
    });

    it('should understand a number after a restart, and keep the order of the messages around it', async () => {
      const chat = '254711000009@c.us';
      await adapter.send(chat, {
        text: 'Your sex?',
        buttons: [
          [
            { label: 'Female', data: 'intake:sex:female' },
            { label: 'Male', data: 'intake:sex:male' },
          ],
        ],
      });
      // The service restarts (a deploy, a crash): a new adapter and client on the same database.
      await adapter.beforeApplicationShutdown();
      client = new FakeWhatsAppClient();
      await startAdapter();
      client.sendText(chat, '1.');
      client.sendText(chat, 'thank you');
      client.sendText(chat, '7'); // no such option: the text itself
      const got = await until(() => received.length === 3 && received, 'the three messages');
      expect(got.map((m) => (m.kind === 'action' ? m.data : m.kind === 'text' ? m.text : m.kind))).toEqual([
        'intake:sex:female',
        'thank you',
        '7',
      ]);
    });

    it('should download a photo whose media is not ready at first, and give up after three tries', async () => {
      const jpeg = await lesionLike(1);
      client.sendImage(CHAT, jpeg, 2);
      client.sendImage(CHAT, jpeg, 99);
      const photos = await until(() => received.length === 2 && received, 'the photos');
      const refs = photos.map((p) => (p.kind === 'photo' ? p.fileRef : ''));
      expect(await adapter.downloadFile(refs[0])).toEqual(jpeg);
      await expect(adapter.downloadFile(refs[1])).rejects.toEqual(new MediaUnavailableError('whatsapp', 'not_downloaded'));
      await expect(adapter.downloadFile('unknown')).rejects.toBeInstanceOf(MediaUnavailableError);
    }, 20_000);
  });

  describe('messages that came while the service was away', () => {
    /** The service stops (a crash, a deploy); the phone keeps receiving. */
    const stop = async (): Promise<void> => {
      await adapter.beforeApplicationShutdown();
      client.restart();
    };
    /** The service starts again on the same phone and database. */
    const start = (): Promise<void> => startAdapter();
    const texts = (): string[] => received.map((m) => (m.kind === 'text' ? m.text : m.kind));

    it('should read them once connected, in order, photos included, and mark the chats read', async () => {
      const chat = '254711000101@c.us';
      client.sendText(chat, 'before');
      await until(() => received.length === 1 && client.unreadIn(chat) === 0, 'the live message handled and read');
      await stop();
      client.sendText(chat, 'while away');
      const photo = await lesionLike(3);
      client.sendImage(chat, photo);
      client.sendText('254711000102@c.us', 'another patient');
      expect(received).toHaveLength(1);
      await start();
      await until(() => received.length === 4, 'the three messages that waited');
      expect(texts()).toEqual(['before', 'while away', 'photo', 'another patient']);
      const ref = received[2].kind === 'photo' ? received[2].fileRef : '';
      expect(await adapter.downloadFile(ref)).toEqual(photo);
      await until(() => client.unreadIn(chat) === 0 && client.unreadIn('254711000102@c.us') === 0, 'the chats marked read');
      // Nothing is read twice: not after another restart, not when someone marks a chat unread on the phone.
      await stop();
      client.markUnread(chat, 3);
      await start();
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(4);
    });

    it('should download a photo received just before a restart from the phone again', async () => {
      const photo = await lesionLike(4);
      client.sendImage(CHAT, photo);
      const [m] = await until(() => received.length === 1 && received, 'the photo');
      await stop();
      await start();
      expect(await adapter.downloadFile(m.kind === 'photo' ? m.fileRef : '')).toEqual(photo);
      await expect(adapter.downloadFile('false_254711000001@c.us_GONE')).rejects.toEqual(
        new MediaUnavailableError('whatsapp', 'expired'),
      );
    });

    it('should leave a chat unread when its message failed, so the next start reads it again', async () => {
      const chat = '254711000103@c.us';
      let fail = true;
      inbound.receivePatientMessages({
        handle: (m) => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(void received.push(m))),
      });
      client.sendText(chat, 'lost?');
      await until(() => client.seenCalls === 0 && fail, 'the failure');
      await new Promise((r) => setTimeout(r, 200));
      expect(client.unreadIn(chat)).toBe(1);
      fail = false;
      await stop();
      await start();
      await until(() => received.length === 1, 'the message read again');
      expect(texts()).toEqual(['lost?']);
      await until(() => client.unreadIn(chat) === 0, 'the chat marked read');
    });

    it('should leave what came before its first start alone: earlier versions never marked chats read', async () => {
      await stop();
      // An upgrade: the phone holds messages an earlier version handled without marking them read.
      client.ageDays = 1 / 1440; // a minute before the upgrade
      client.sendText('254711000105@c.us', 'handled by the earlier version');
      client.ageDays = 0;
      // A new session folder: the first start of this version on that phone.
      config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dermlink-wa-first-')), WHATSAPP_ENABLED: 'true' });
      await start();
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(0);
      // From then on, what comes while it is away is read.
      await stop();
      client.sendText('254711000105@c.us', 'while away');
      await start();
      await until(() => received.length === 1, 'the message that came while it was away');
      expect(texts()).toEqual(['while away']);
    });

    it('should not mark a chat read while a newer message of it is still being claimed', async () => {
      // Were the chat marked read then and the service to die before the claim, the next start
      // would never see that message: it is no longer unread on the phone.
      const chat = '254711000106@c.us';
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const claim = handled.claim.bind(handled);
      let calls = 0;
      const spy = jest.spyOn(handled, 'claim').mockImplementation(async (...args) => {
        if (++calls === 2) await held;
        return claim(...args);
      });
      try {
        client.sendText(chat, 'first');
        client.sendText(chat, 'second');
        await until(() => received.length === 1, 'the first message handled');
        await new Promise((r) => setTimeout(r, 200));
        expect(client.unreadIn(chat)).toBe(2);
        release();
        await until(() => received.length === 2, 'the second message handled');
        await until(() => client.unreadIn(chat) === 0, 'the chat marked read');
        expect(texts()).toEqual(['first', 'second']);
      } finally {
        spy.mockRestore();
        release();
      }
    });

    it('should leave messages over 7 days old unread rather than risk answering them twice', async () => {
      await stop();
      client.ageDays = 8;
      client.sendText('254711000104@c.us', 'long ago');
      client.ageDays = 0;
      client.sendText('254711000104@c.us', 'today');
      await start();
      await until(() => received.length === 1, 'the recent message');
      await new Promise((r) => setTimeout(r, 200));
      expect(texts()).toEqual(['today']);
    });
  });

  describe('sendMany', () => {
    it("should send a chat's waiting messages as one WhatsApp message, in order", async () => {
      await adapter.sendMany(CHAT, [{ text: 'one' }, { text: 'two' }]);
      expect(client.textsTo(CHAT)).toEqual(['one\n\ntwo']);
    });

    it('should refuse while disconnected, retryably, and alert the doctors', async () => {
      client.disconnect('NAVIGATION');
      await until(() => group.posts.length > 0, 'the alert');
      expect(adapter.isReady()).toBe(false);
      const refused = adapter.send(CHAT, { text: 'later' });
      await expect(refused).rejects.toBeInstanceOf(ChannelSendError);
      await expect(refused).rejects.toMatchObject({ retryable: true });
      expect(group.posts[0].message.text).toMatch(/^⚠️ /);
    });
  });
});
