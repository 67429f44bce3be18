import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadConfig } from '@/config/app-config';
import { ConfigModule } from '@/config/config.module';
import { DatabaseModule } from '@/database/database.module';
import type { IncomingMessage } from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import type { DoctorsGroupEvent } from '@/messaging/doctors-group.port';
import { Inbound } from '@/messaging/inbound';
import { MessagingModule } from '@/messaging/messaging.module';
import { RedisModule } from '@/redis/redis.module';
import { FakeBotApi } from '../../../test/fake-telegram/fake-bot-api';
import { until } from '../../../test/support/fakes';
import { HandledUpdate } from '../shared/handled-update.entity';
import { Scheduler } from '@/jobs/scheduler';
import { HandledUpdates } from '../shared/handled-updates';
import { TelegramAdapter } from './telegram.adapter';

const GROUP = -100777;

describe(TelegramAdapter.name, () => {
  const api = new FakeBotApi();
  let app: INestApplication;
  let adapter: TelegramAdapter;
  const received: IncomingMessage[] = [];
  const groupEvents: DoctorsGroupEvent[] = [];
  let failNext = false;
  /** Texts whose handling takes a while (ms). */
  const slow = new Map<string, number>();

  beforeAll(async () => {
    await api.start();
    const config = loadConfig({
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-tg-spec-')),
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
      TELEGRAM_CHAT_INTERVAL_MS: '0',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.withConfig(config),
        RedisModule,
        DatabaseModule,
        MessagingModule,
        TypeOrmModule.forFeature([HandledUpdate]),
      ],
      providers: [TelegramAdapter, HandledUpdates, Scheduler],
    }).compile();
    const inbound = moduleRef.get(Inbound);
    inbound.receivePatientMessages({
      handle: (m) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('a failing handler'));
        }
        const delay = m.kind === 'text' ? slow.get(m.text) : undefined;
        if (!delay) return Promise.resolve(void received.push(m));
        return new Promise((resolve) => setTimeout(() => resolve(void received.push(m)), delay));
      },
    });
    inbound.receiveGroupEvents((e) => Promise.resolve(void groupEvents.push(e)));
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    adapter = app.get(TelegramAdapter);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  it('should register itself, poll, and be ready once started', () => {
    expect(app.get(ChannelRegistry).get('telegram')).toBe(adapter);
    expect(adapter.isReady()).toBe(true);
    expect(adapter.isPolling()).toBe(true);
  });

  describe('incoming updates', () => {
    it("should hand a private chat's messages over in the order they came, even when the first takes a while", async () => {
      slow.set('first, slow', 400);
      api.sendText(4242, 'first, slow');
      api.sendText(4242, 'second');
      api.sendText(4343, 'another chat'); // not held up by 4242
      await until(() => received.filter((m) => m.chatId === '4242').length === 2, 'both messages of chat 4242');
      const order = received
        .filter((m) => m.chatId === '4242' || m.chatId === '4343')
        .map((m) => (m.kind === 'text' ? m.text : ''));
      expect(order).toEqual(['another chat', 'first, slow', 'second']);
    });

    it('should deliver a private message, normalised, to Inbound, once however often Telegram delivers it', async () => {
      const { update } = api.message(41, { text: 'hello there' });
      await until(() => received.some((m) => m.chatId === '41'), 'the message');
      api.redeliver(update);
      await new Promise((r) => setTimeout(r, 1500));
      expect(received.filter((m) => m.chatId === '41')).toEqual([
        expect.objectContaining({ channel: 'telegram', kind: 'text', text: 'hello there' }),
      ]);
    });

    it('should acknowledge a button press at once and deliver it as an action', async () => {
      api.pressButton(42, 'consent:yes', 1001);
      const action = await until(() => received.find((m) => m.chatId === '42'), 'the press');
      expect(action).toMatchObject({ kind: 'action', data: 'consent:yes' });
      expect(api.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
    });

    it("should deliver the doctors' group events to the group's receiver, with the replied post's buttons", async () => {
      const doctor = { id: 501, is_bot: false, first_name: 'Amina' };
      const post = {
        message_id: 10,
        chat: { id: GROUP, type: 'supergroup' },
        date: 0,
        reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:C-7KQ2MX' }]] },
      };
      api.pushUpdate({
        message: {
          message_id: 11,
          date: 0,
          chat: { id: GROUP, type: 'supergroup' },
          from: doctor,
          text: 'advice',
          reply_to_message: post,
        },
      });
      const event = await until(() => groupEvents.find((e) => e.messageId === '11'), 'the group event');
      expect(event).toMatchObject({ fromId: '501', text: 'advice', replyToMessageId: '10', replyToActions: ['claim:C-7KQ2MX'] });
    });

    it('should keep running after a handler fails, and handle the update again when it is delivered again', async () => {
      failNext = true;
      const { update } = api.message(43, { text: 'first try fails' });
      await new Promise((r) => setTimeout(r, 1000));
      expect(received.some((m) => m.chatId === '43')).toBe(false);
      api.redeliver(update);
      await until(() => received.some((m) => m.chatId === '43'), 'the second delivery');
    });
  });

  describe('send', () => {
    it('should send buttons as an inline keyboard and split a text over 4096 characters', async () => {
      await adapter.send('44', { text: 'Agree?', buttons: [[{ label: 'Yes', data: 'consent:yes' }]] });
      const [withButtons] = api.sent(44);
      expect(FakeBotApi.buttons(withButtons)).toEqual([['Yes', 'consent:yes']]);
      await adapter.send('45', { text: 'x'.repeat(5000) });
      expect(api.textsTo(45).map((t) => t.length)).toEqual([4096, 904]);
    });
  });
});
