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
  let config: ReturnType<typeof loadConfig>;
  let inbound: Inbound;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    // The menus live in a real SQLite database (one per suite): a number must be understood after a restart.
    ({ app: db } = await serviceModule([TypeOrmModule.forFeature([ChatMenu])], { providers: [ChatMenus] }));
    menus = db.get(ChatMenus);
  });
  afterAll(async () => {
    await db?.close();
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  beforeEach(async () => {
    config = loadConfig({ DATA_DIR: '/tmp/dermlink-wa-spec', WHATSAPP_ENABLED: 'true' });
    client = new FakeWhatsAppClient();
    registry = new ChannelRegistry();
    group = new FakeDoctorsGroup();
    received = [];
    inbound = new Inbound();
    inbound.receivePatientMessages({ handle: (m) => Promise.resolve(void received.push(m)) });
    adapter = new WhatsAppAdapter(config, inbound, () => client, registry, new I18nService(config), menus, group);
    adapter.onApplicationBootstrap();
    await until(() => adapter.isReady(), 'the client to log in');
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
      adapter = new WhatsAppAdapter(config, inbound, () => client, new ChannelRegistry(), new I18nService(config), menus, group);
      adapter.onApplicationBootstrap();
      await until(() => adapter.isReady(), 'the client to log in again');
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
