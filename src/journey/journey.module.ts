import { Module } from '@nestjs/common';
import { AuditModule } from '@/audit/audit.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { I18nModule } from '@/i18n/i18n.module';
import { InferenceModule } from '@/inference/inference.module';
import { PatientsModule } from '@/patients/patients.module';
import { PhotosModule } from '@/photos/photos.module';
import { PrivacyModule } from '@/privacy/privacy.module';
import { AnalysePhotoProcessor } from './analyse-photo.processor';
import { JourneyService } from './journey.service';
import { PatientMessenger } from './patient-messenger.service';

@Module({
  imports: [AuditModule, ConsultationsModule, I18nModule, InferenceModule, PatientsModule, PhotosModule, PrivacyModule],
  providers: [JourneyService, PatientMessenger, AnalysePhotoProcessor],
  exports: [JourneyService, PatientMessenger],
})
export class JourneyModule {}
