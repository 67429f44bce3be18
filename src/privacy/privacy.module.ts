import { Module } from '@nestjs/common';
import { AuditModule } from '@/audit/audit.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { PatientsModule } from '@/patients/patients.module';
import { PhotosModule } from '@/photos/photos.module';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';

/** Health data's lifetime: the erasure a patient asks for and the retention purge of old photos. */
@Module({
  imports: [AuditModule, ConsultationsModule, PatientsModule, PhotosModule],
  providers: [ErasureService, RetentionService],
  exports: [ErasureService, RetentionService],
})
export class PrivacyModule {}
