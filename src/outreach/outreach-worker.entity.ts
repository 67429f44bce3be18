import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Where a worker is in the "new patient" dialogue. */
export type OutreachState = 'idle' | 'np_initials' | 'np_age' | 'np_sex' | 'np_village' | 'np_consent';

/**
 * A registered NGO outreach worker: submits cases for several patients from one WhatsApp phone.
 * `chatId` is the WhatsApp id (`<digits>@c.us`).
 */
@Entity('outreach_workers')
export class OutreachWorker {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  chatId: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  organisation: string | null;

  @Column({ type: 'varchar', length: 8, default: 'en' })
  language: string;

  @Column({ type: 'varchar', length: 16, default: 'idle' })
  state: OutreachState;

  /** The patient being registered (draft answers). */
  @Column({ type: 'simple-json', nullable: true })
  draft: { initials?: string; age?: string; sex?: string; village?: string } | null;

  /** The patient whose photos and answers this phone is sending now. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  activePatientId: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
