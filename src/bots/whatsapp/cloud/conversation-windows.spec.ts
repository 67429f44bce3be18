import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { hashId } from '@/common/hash-id';
import { serviceModule } from '../../../../test/support/service-module';
import { ConversationWindow } from './conversation-window.entity';
import { ConversationWindows, WINDOW_MS } from './conversation-windows';

describe(ConversationWindows.name, () => {
  let app: INestApplication;
  let windows: ConversationWindows;
  const HOUR_MS = 60 * 60 * 1000;

  beforeAll(async () => {
    ({ app } = await serviceModule([TypeOrmModule.forFeature([ConversationWindow])], { providers: [ConversationWindows] }));
    windows = app.get(ConversationWindows);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should be open for a day after the person last wrote, an older message moving nothing', async () => {
    const now = Date.now();
    await windows.opened('254700009001@c.us', new Date(now - 2 * HOUR_MS));
    await windows.opened('254700009001@c.us', new Date(now - 20 * HOUR_MS));
    expect(await windows.isOpen('254700009001@c.us', new Date(now))).toBe(true);
    expect(await windows.isOpen('254700009001@c.us', new Date(now - 2 * HOUR_MS + WINDOW_MS))).toBe(false);
    expect(await windows.isOpen('254700009002@c.us')).toBe(false);
  });

  it('should close the window WhatsApp reports closed, unless the person wrote again after the report', async () => {
    const now = Date.now();
    const chat = '254700009003@c.us';
    await windows.opened(chat, new Date(now - HOUR_MS));
    // A 131047 about a message sent two hours ago arrives late: the person has written since.
    await windows.closed(chat, new Date(now - 2 * HOUR_MS));
    expect(await windows.isOpen(chat, new Date(now))).toBe(true);
    // One about a message sent after the person's last message closes it.
    await windows.closed(chat, new Date(now - HOUR_MS / 2));
    expect(await windows.isOpen(chat, new Date(now))).toBe(false);
    // A message in the report's own second (WhatsApp's times are whole seconds) is not known to be later.
    await windows.opened(chat, new Date(now - 500));
    expect(await windows.isOpen(chat, new Date(now))).toBe(true);
    await windows.closed(chat, new Date(now - 900));
    expect(await windows.isOpen(chat, new Date(now))).toBe(false);
    await windows.opened(chat, new Date(now - 1000));
    await windows.closed(chat); // reported now
    expect(await windows.isOpen(chat, new Date(now))).toBe(false);
  });

  it('should delete the records of windows the person last wrote to over two days ago, and only those', async () => {
    const now = Date.now();
    const [old, recent] = ['254700009008@c.us', '254700009009@c.us'];
    await windows.opened(old, new Date(now - 2 * WINDOW_MS - HOUR_MS));
    await windows.opened(recent, new Date(now - 2 * WINDOW_MS + HOUR_MS));
    const rows = app.get<Repository<ConversationWindow>>(getRepositoryToken(ConversationWindow));
    expect(await windows.purge(new Date(now))).toBeGreaterThanOrEqual(1);
    expect(await rows.countBy({ chatHash: hashId(old) })).toBe(0);
    expect(await rows.countBy({ chatHash: hashId(recent) })).toBe(1);
  });
});
