import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import { ConsultationsService } from '@/consultations/consultations.service';
import { OutboxService } from '@/outbox/outbox.service';
import { contactChat, Patient } from '@/patients/patient.entity';
import { PatientsService } from '@/patients/patients.service';
import { PhotoStore } from '@/photos/photo-store.service';

/**
 * A patient's right to erasure (`/delete`, WhatsApp `DELETE`): their photos, cases and the contents
 * of the messages sent to them go, the doctors' advice and diagnoses included; the audit trail keeps
 * anonymous stubs. Beside the retention purge, which deletes photos by age; the conversation asks
 * for confirmation and says it is done.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    private readonly patients: PatientsService,
    private readonly consultations: ConsultationsService,
    private readonly photos: PhotoStore,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** Erases everything about `patient`; the caller holds the patient's chat lock. */
  async erase(patient: Patient): Promise<void> {
    const files = await this.consultations.photoFilesOf(patient.id);
    await Promise.all(files.map((f) => this.photos.remove(f)));
    await this.audit.record({ direction: 'action', actor: 'patient', action: 'erase', patientId: patient.id });
    await this.audit.anonymisePatient(patient.id);
    await this.outbox.forgetChat(patient.channel, contactChat(patient));
    await this.patients.remove(patient);
    this.logger.log(`A ${patient.channel} patient erased their data`);
  }
}
