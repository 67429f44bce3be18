import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When a chat's person last wrote (WhatsApp's 24-hour window runs from then). The chat is a hash: no phone number here. */
@Entity('conversation_windows')
export class ConversationWindow {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  chatHash: string;

  @Column({ type: Date })
  lastInboundAt: Date;
}
