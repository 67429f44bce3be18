import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/**
 * An outbox row carries the key of the logical message it is (a hash; unique, null for messages
 * without one), so a message derived from an event is written once however often the event is handled.
 */
export class OutboxKeys1795000000005 implements MigrationInterface {
  name = 'OutboxKeys1795000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('outbox_messages', new TableColumn(types(runner).str('dedupeKey', 32, true)));
    await runner.createIndex(
      'outbox_messages',
      new TableIndex({ name: 'IDX_outbox_messages_dedupe_key', columnNames: ['dedupeKey'], isUnique: true }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('outbox_messages', 'IDX_outbox_messages_dedupe_key');
    await runner.dropColumn('outbox_messages', 'dedupeKey');
  }
}
