import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/**
 * WhatsApp's Cloud API: the numbered menu last sent to a chat (its options' data, as JSON) lives beside
 * the chat's window, so a reply by number is understood by whichever instance Meta's webhook reaches.
 */
export class ChatMenus1795000000008 implements MigrationInterface {
  name = 'ChatMenus1795000000008';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('conversation_windows', new TableColumn(types(runner).text('menu')));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('conversation_windows', 'menu');
  }
}
