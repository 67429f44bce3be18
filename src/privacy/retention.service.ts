import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { ConsultationsService } from '@/consultations/consultations.service';
import { PURGE_EVERY_MS, Scheduler } from '@/jobs/scheduler';
import { OutboxService } from '@/outbox/outbox.service';
import { PhotoStore } from '@/photos/photo-store.service';

const DAY_MS = 24 * 60 * 60 * 1000;
const OUTBOX_KEEP_DAYS = 7;

/** Deletes the photos of cases closed more than RETENTION_DAYS ago; runs 5 s after start and then every 6 hours. */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly consultations: ConsultationsService,
    private readonly photos: PhotoStore,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    scheduler: Scheduler,
  ) {
    scheduler.every('Retention purge', PURGE_EVERY_MS, () => this.purge(new Date()), 5_000);
  }

  /** Purges photos of cases closed before `now - RETENTION_DAYS`; resolves to how many cases were purged. */
  async purge(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.privacy.retentionDays * DAY_MS);
    const due = (await this.consultations.list({ status: ['closed', 'rejected'] })).filter(
      (c) => (c.photoFile || c.extraPhotos?.length) && (c.closedAt ?? c.resultAt ?? c.createdAt) < cutoff,
    );
    for (const c of due) {
      for (const file of [c.photoFile, ...(c.extraPhotos ?? [])]) if (file) await this.photos.remove(file);
      await this.consultations.update(c, { photoFile: null, extraPhotos: null });
      await this.audit.record({
        direction: 'action',
        actor: 'system',
        action: 'photo_purged',
        consultationId: c.id,
        patientId: c.patientId,
      });
    }
    if (due.length)
      this.logger.log(`Deleted the photos of ${due.length} case(s) closed over ${this.config.privacy.retentionDays} days ago`);
    // Delivered messages are kept a week for troubleshooting, then dropped: the audit trail is the record.
    await this.outbox.purgeDelivered(new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY_MS));
    return due.length;
  }
}
