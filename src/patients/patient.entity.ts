import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelName } from '@/messaging/channel.port';

/** Where the patient is in the conversation; drives how the next message is read. */
export type JourneyState =
  | 'new'
  | 'awaiting_language'
  | 'awaiting_consent'
  | 'ready'
  | 'intake'
  | 'confirm_delete'
  /** A doctor asked for another photo: the next photo joins that case. */
  | 'awaiting_photo';

export interface PatientProfile {
  initials: string;
  age?: string;
  sex?: string;
  village?: string;
}

/** The chat that messages for this patient are sent to. */
export function contactChat(p: Pick<Patient, 'contactChatId' | 'channelUserId'>): string {
  return p.contactChatId ?? p.channelUserId;
}

@Entity('patients')
@Index(['channel', 'channelUserId'], { unique: true })
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  channel: ChannelName;

  /** The chat id on the channel (Telegram chat id, WhatsApp id, web session id). */
  @Column({ type: 'varchar', length: 64 })
  channelUserId: string;

  @Column({ type: 'varchar', length: 8 })
  language: string;

  /**
   * Where messages for this patient go when it is not `channelUserId`: the phone of the outreach
   * worker who registered them.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  contactChatId: string | null;

  /** The outreach worker who registered this patient, if any. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  outreachWorkerId: string | null;

  /** What an outreach worker recorded: initials, age, sex, village. */
  @Column({ type: 'simple-json', nullable: true })
  profile: PatientProfile | null;

  @Column({ type: 'varchar', length: 20, default: 'new' })
  state: JourneyState;

  /** Small state payload, e.g. `{ consultationId, step }` during intake. */
  @Column({ type: 'simple-json', nullable: true })
  stateData: Record<string, string | number> | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  consentVersion: string | null;

  @Column({ type: Date, nullable: true })
  consentAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
