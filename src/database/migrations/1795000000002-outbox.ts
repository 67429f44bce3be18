import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { types } from './1795000000000-initial-schema';

export class Outbox1795000000002 implements MigrationInterface {
  name = 'Outbox1795000000002';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          t.str('channel', 16),
          t.str('chatId', 64),
          { name: 'payload', type: 'text' },
          { ...t.str('status', 8), default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          t.time('notBefore', false),
          t.time('lockedUntil'),
          t.str('lastError', 200, true),
          t.created(),
          t.time('sentAt'),
        ],
      }),
    );
    await runner.createIndex('outbox_messages', new TableIndex({ columnNames: ['status', 'channel', 'chatId'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('outbox_messages');
  }
}
