import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/**
 * `chat_menus`: the numbered menu last sent to each WhatsApp chat (the chat as a hash, the options'
 * data as JSON), so a reply by number is understood after a restart and by any instance.
 */
export class ChatMenus1795000000008 implements MigrationInterface {
  name = 'ChatMenus1795000000008';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.createTable(
      new Table({
        name: 'chat_menus',
        columns: [
          { ...t.str('channel', 16), isPrimary: true },
          { ...t.str('chatHash', 32), isPrimary: true },
          { ...t.text('options'), isNullable: false },
          t.time('sentAt', false),
        ],
      }),
    );
    await runner.createIndex('chat_menus', new TableIndex({ name: 'IDX_chat_menus_sent', columnNames: ['sentAt'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('chat_menus');
  }
}
