import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An incoming update that is being or has been handled, so a second delivery of it is not handled again (kept eight days). */
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

  /** Set while a handler holds the update (renewed as it runs); null once it has been handled. */
  @Column({ type: Date, nullable: true })
  claimedUntil: Date | null;
}
