import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/**
 * A Telegram update is claimed before it is handled: `claimedUntil` is set while a handler holds it
 * (renewed as it runs) and null once it has been handled, as every key recorded before this was.
 */
export class UpdateClaims1795000000006 implements MigrationInterface {
  name = 'UpdateClaims1795000000006';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('handled_updates', new TableColumn(types(runner).time('claimedUntil')));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('handled_updates', 'claimedUntil');
  }
}
