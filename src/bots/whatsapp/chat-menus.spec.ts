import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Scheduler } from '@/jobs/scheduler';
import { serviceModule } from '../../../test/support/service-module';
import { ChatMenu } from './chat-menu.entity';
import { ChatMenus } from './chat-menus';

describe(ChatMenus.name, () => {
  let app: INestApplication;
  let menus: ChatMenus;
  let rows: Repository<ChatMenu>;

  beforeAll(async () => {
    ({ app } = await serviceModule([TypeOrmModule.forFeature([ChatMenu])], { providers: [ChatMenus] }));
    menus = app.get(ChatMenus);
    rows = app.get(getRepositoryToken(ChatMenu));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('should keep the numbered menu last sent to each chat, for every instance, until buttons or a list replace it', async () => {
    const [a, b, c] = ['254700008001@c.us', '254700008002@c.us', '254700008003@c.us'];
    await menus.sent(a, ['lang:en', 'lang:fr']);
    await menus.sent(b, ['consent:yes', 'consent:no']);
    await menus.sent(a, ['lang:sw', 'lang:en', 'lang:fr']); // a later menu replaces the earlier
    expect(await menus.menus([a, b, c])).toEqual(
      new Map([
        [a, ['lang:sw', 'lang:en', 'lang:fr']],
        [b, ['consent:yes', 'consent:no']],
      ]),
    );
    // Another instance (another service on the same database) reads the same menus.
    const other = new ChatMenus(rows, app.get(Scheduler));
    expect(await other.menu(b)).toEqual(['consent:yes', 'consent:no']);
    expect(await other.menu(c)).toBeUndefined();
    // Buttons or a list offered since: a number answers nothing.
    await menus.sent(b, undefined);
    expect(await menus.menu(b)).toBeUndefined();
    expect(await menus.menus([])).toEqual(new Map());
    // The chat is a hash; the menu holds its options' data only.
    expect(JSON.stringify(await rows.find())).not.toContain('254700008001');
  });

  it('should forget menus sent over 30 days ago, and only those', async () => {
    const DAY_MS = 24 * 60 * 60 * 1000;
    const [old, recent] = ['254700008004@c.us', '254700008005@c.us'];
    await menus.sent(old, ['lang:en']);
    await menus.sent(recent, ['lang:fr']);
    const now = Date.now();
    await rows.update({ options: JSON.stringify(['lang:en']) }, { sentAt: new Date(now - 31 * DAY_MS) });
    await rows.update({ options: JSON.stringify(['lang:fr']) }, { sentAt: new Date(now - 29 * DAY_MS) });
    expect(await menus.purge(new Date(now))).toBe(1);
    expect(await menus.menus([old, recent])).toEqual(new Map([[recent, ['lang:fr']]]));
  });

  it('should read a stored menu that is not a list of strings as no menu', async () => {
    const chat = '254700008006@c.us';
    await menus.sent(chat, ['lang:en']);
    await rows.update({ options: JSON.stringify(['lang:en']) }, { options: '{"not":"a list"}' });
    expect(await menus.menu(chat)).toBeUndefined();
  });
});
