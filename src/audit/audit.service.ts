import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditDirection, AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  direction: AuditDirection;
  actor: string;
  action: string;
  consultationId?: string | null;
  patientId?: string | null;
  detail?: string | null;
}

/** Appends to the audit trail / message log. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.entries.insert({
      direction: entry.direction,
      actor: entry.actor,
      action: entry.action,
      consultationId: entry.consultationId ?? null,
      patientId: entry.patientId ?? null,
      detail: entry.detail ?? null,
    });
  }

  /** Erasure: drops message content for a patient and keeps an anonymous stub of each action. */
  async anonymisePatient(patientId: string): Promise<void> {
    await this.entries.update({ patientId }, { detail: null, patientId: null });
  }
}
