import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/** Column helpers that pick the right SQL type for SQLite or PostgreSQL. */
export function types(runner: QueryRunner) {
  const pg = runner.connection.options.type === 'postgres';
  const ts = pg ? 'timestamp' : 'datetime';
  const now = pg ? 'now()' : "datetime('now')";
  return {
    // UUID keys: PostgreSQL generates them (TypeORM expects a default there); on SQLite TypeORM does.
    id: (): TableColumnOptions =>
      pg
        ? { name: 'id', type: 'uuid', isPrimary: true, default: 'gen_random_uuid()' }
        : { name: 'id', type: 'varchar', isPrimary: true, length: '36' },
    ref: (name: string): TableColumnOptions => (pg ? { name, type: 'uuid' } : { name, type: 'varchar', length: '36' }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true }),
    time: (name: string, nullable = true): TableColumnOptions => ({ name, type: ts, isNullable: nullable }),
    created: (name = 'createdAt'): TableColumnOptions => ({ name, type: ts, default: now }),
  };
}

export class InitialSchema1795000000000 implements MigrationInterface {
  name = 'InitialSchema1795000000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.createTable(
      new Table({
        name: 'patients',
        columns: [
          t.id(),
          t.str('channel', 16),
          t.str('channelUserId', 64),
          t.str('language', 8),
          { ...t.str('state', 20), default: "'new'" },
          t.text('stateData'),
          t.str('consentVersion', 32, true),
          t.time('consentAt'),
          t.created(),
          t.created('updatedAt'),
        ],
        indices: [{ columnNames: ['channel', 'channelUserId'], isUnique: true }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'consultations',
        columns: [
          t.id(),
          t.str('code', 10),
          t.ref('patientId'),
          t.str('channel', 16),
          t.str('sourceMessageId', 128, true),
          { ...t.str('status', 20), default: "'new'" },
          t.str('photoFile', 128, true),
          t.text('extraPhotos'),
          { name: 'urgentReferral', type: 'boolean', default: false },
          t.text('aiResult'),
          t.text('intake'),
          t.str('assignedDoctorId', 64, true),
          t.str('doctorDiagnosis', 16, true),
          t.str('groupMessageId', 64, true),
          t.created(),
          t.created('updatedAt'),
          t.time('resultAt'),
          t.time('resultSentAt'),
          t.time('claimedAt'),
          t.time('answeredAt'),
          t.time('closedAt'),
          t.time('remindedAt'),
          t.time('postedAt'),
        ],
        indices: [
          { columnNames: ['code'], isUnique: true },
          { columnNames: ['channel', 'sourceMessageId'], isUnique: true },
          { columnNames: ['status'] },
        ],
      }),
    );
    await runner.createForeignKey(
      'consultations',
      new TableForeignKey({
        columnNames: ['patientId'],
        referencedTableName: 'patients',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          t.str('consultationId', 36, true),
          t.str('patientId', 36, true),
          t.str('direction', 8),
          t.str('actor', 64),
          t.str('action', 32),
          t.text('detail'),
          t.created(),
        ],
      }),
    );
    await runner.createIndex('audit_entries', new TableIndex({ columnNames: ['consultationId'] }));
    await runner.createIndex('audit_entries', new TableIndex({ columnNames: ['patientId'] }));
    await runner.createTable(
      new Table({
        name: 'doctors',
        columns: [
          t.id(),
          { ...t.str('telegramId', 32), isUnique: true },
          t.str('name', 120),
          t.str('license', 64, true),
          t.created(),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['doctors', 'audit_entries', 'consultations', 'patients']) {
      await runner.dropTable(table);
    }
  }
}
