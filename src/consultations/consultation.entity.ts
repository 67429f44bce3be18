import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ChannelName } from '@/messaging/channel.port';
import type { InferenceResult, LesionLabel } from '@/inference/inference.types';
import { Patient } from '@/patients/patient.entity';

/**
 * new -> awaiting_doctor -> claimed -> answered -> closed.
 * `rejected`: the photo failed the gates (retake / not_skin); kept for the audit and statistics.
 */
export const CONSULTATION_STATUSES = ['new', 'awaiting_doctor', 'claimed', 'answered', 'closed', 'rejected'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** Answers to the optional intake questions; any may be missing (skipped). */
export interface IntakeAnswers {
  bodySite?: string;
  /** The patient asked that doctors see the photo blurred first (Telegram's spoiler). */
  discreet?: 'yes' | 'no';
  duration?: string;
  changing?: 'yes' | 'no';
  bleeding?: 'yes' | 'no';
  itching?: 'yes' | 'no';
  age?: string;
  sex?: string;
  /** From outreach registrations. */
  village?: string;
}

export type DoctorDiagnosis = LesionLabel | 'other';

@Entity('consultations')
@Index(['channel', 'sourceMessageId'], { unique: true })
export class Consultation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Public case code, `C-[A-Z0-9]{4,8}`. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 10 })
  code: string;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE', eager: false })
  @JoinColumn({ name: 'patientId' })
  patient: Patient;

  @Column({ type: 'varchar' })
  patientId: string;

  @Column({ type: 'varchar', length: 16 })
  channel: ChannelName;

  /** The channel's id of the message that carried the photo: a redelivery must not open a second case. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  sourceMessageId: string | null;

  @Index()
  @Column({ type: 'varchar', length: 20, default: 'new' })
  status: ConsultationStatus;

  /** File name of the stored photo under DATA_DIR/photos (random, never user supplied). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  photoFile: string | null;

  /** Further photos a doctor asked for, stored like the first. */
  @Column({ type: 'simple-json', nullable: true })
  extraPhotos: string[] | null;

  /** A doctor flagged the case for urgent referral. */
  @Column({ type: 'boolean', default: false })
  urgentReferral: boolean;

  @Column({ type: 'simple-json', nullable: true })
  aiResult: InferenceResult | null;

  @Column({ type: 'simple-json', nullable: true })
  intake: IntakeAnswers | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  assignedDoctorId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  doctorDiagnosis: DoctorDiagnosis | null;

  /** The message id of the case post in the doctors' group. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  groupMessageId: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  @Column({ type: Date, nullable: true })
  resultAt: Date | null;

  /** When the result, card and case code reached the channel: until then a restart sends them again. */
  @Column({ type: Date, nullable: true })
  resultSentAt: Date | null;

  @Column({ type: Date, nullable: true })
  claimedAt: Date | null;

  @Column({ type: Date, nullable: true })
  answeredAt: Date | null;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  @Column({ type: Date, nullable: true })
  remindedAt: Date | null;

  /** When the case was posted to the doctors' group (null: not yet). */
  @Column({ type: Date, nullable: true })
  postedAt: Date | null;
}
