import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An incoming update that has been handled, so a second delivery of it is skipped (kept two days). */
@Entity('handled_updates')
export class HandledUpdate {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel: string;

  /** From `updateKey`: the message in its chat, or the button press. */
  @PrimaryColumn({ type: 'varchar', length: 96 })
  updateKey: string;

  @Index()
  @CreateDateColumn()
  handledAt: Date;
}
