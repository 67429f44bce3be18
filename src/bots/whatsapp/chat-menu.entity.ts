import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The numbered menu last sent to a WhatsApp chat: its options' data in order (JSON), so that a reply
 * by number is read against it. The chat is a hash: no phone number here.
 */
@Entity('chat_menus')
export class ChatMenu {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  chatHash: string;

  @Column({ type: 'text' })
  options: string;

  @Column({ type: Date })
  sentAt: Date;
}
