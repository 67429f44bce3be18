import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { types } from './1795000000000-initial-schema';

export class Outreach1795000000001 implements MigrationInterface {
  name = 'Outreach1795000000001';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.addColumns('patients', [
      new TableColumn({ name: 'contactChatId', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'outreachWorkerId', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'profile', type: 'text', isNullable: true }),
    ]);
    await runner.createTable(
      new Table({
        name: 'outreach_workers',
        columns: [
          t.id(),
          { name: 'chatId', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'organisation', type: 'varchar', length: '120', isNullable: true },
          { name: 'language', type: 'varchar', length: '8', default: "'en'" },
          { name: 'state', type: 'varchar', length: '16', default: "'idle'" },
          { name: 'draft', type: 'text', isNullable: true },
          { name: 'activePatientId', type: 'varchar', length: '36', isNullable: true },
          t.created(),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('outreach_workers');
    for (const column of ['profile', 'outreachWorkerId', 'contactChatId']) await runner.dropColumn('patients', column);
  }
}
