import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditDirection = 'in' | 'out' | 'action';

/**
 * The message log and audit trail: who did what, when, on which case.
 * `detail` may hold message text for the record; it is never written to the process log.
 */
@Entity('audit_entries')
export class AuditEntry {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  consultationId: string | null;

  @Index()
  @Column({ type: 'varchar', nullable: true })
  patientId: string | null;

  @Column({ type: 'varchar', length: 8 })
  direction: AuditDirection;

  /** `patient`, `system`, or `doctor:<telegram id>`. */
  @Column({ type: 'varchar', length: 64 })
  actor: string;

  /** What happened, a short code such as `photo`, `result`, `claim`, `answer`, `consent`. */
  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @CreateDateColumn()
  createdAt: Date;
}
