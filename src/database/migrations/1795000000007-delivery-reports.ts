import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { types } from './1795000000000-initial-schema';

/**
 * For WhatsApp's Cloud API: an outbox row records the channel's id of the sent message and its latest
 * delivery report, and may wait for the person's reply (the 24-hour window); `conversation_windows`
 * keeps when each chat's person last wrote (the chat as a hash).
 */
export class DeliveryReports1795000000007 implements MigrationInterface {
  name = 'DeliveryReports1795000000007';

  async up(runner: QueryRunner): Promise<void> {
    const t = types(runner);
    await runner.addColumns('outbox_messages', [
      new TableColumn({ name: 'waitingForReply', type: 'boolean', default: false }),
      new TableColumn(t.str('channelMessageId', 128, true)),
      new TableColumn(t.str('deliveryStatus', 12, true)),
      new TableColumn(t.time('deliveryAt')),
    ]);
    await runner.createIndex(
      'outbox_messages',
      new TableIndex({ name: 'IDX_outbox_messages_channel_message', columnNames: ['channelMessageId'] }),
    );
    await runner.createTable(
      new Table({
        name: 'conversation_windows',
        columns: [
          { ...t.str('channel', 16), isPrimary: true },
          { ...t.str('chatHash', 32), isPrimary: true },
          t.time('lastInboundAt', false),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('conversation_windows');
    await runner.dropIndex('outbox_messages', 'IDX_outbox_messages_channel_message');
    for (const column of ['deliveryAt', 'deliveryStatus', 'channelMessageId', 'waitingForReply'])
      await runner.dropColumn('outbox_messages', column);
  }
}
