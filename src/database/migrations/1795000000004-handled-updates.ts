import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/** Keys of handled Telegram updates, so a redelivered update is not handled twice. */
export class HandledUpdates1795000000004 implements MigrationInterface {
  name = 'HandledUpdates1795000000004';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.createTable(
      new Table({
        name: 'handled_updates',
        columns: [
          { ...t.str('channel', 16), isPrimary: true },
          { ...t.str('updateKey', 96), isPrimary: true },
          t.created('handledAt'),
        ],
      }),
    );
    await runner.createIndex('handled_updates', new TableIndex({ columnNames: ['handledAt'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('handled_updates');
  }
}
