import { Module } from '@nestjs/common';
import { AuditModule } from '@/audit/audit.module';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { I18nModule } from '@/i18n/i18n.module';
import { InferenceModule } from '@/inference/inference.module';
import { PatientsModule } from '@/patients/patients.module';
import { PhotosModule } from '@/photos/photos.module';
import { AnalysePhotoProcessor } from './analyse-photo.processor';
import { ChatLock } from './chat-lock';
import { JourneyService } from './journey.service';
import { PatientMessenger } from './patient-messenger.service';

@Module({
  imports: [AuditModule, ConsultationsModule, I18nModule, InferenceModule, PatientsModule, PhotosModule],
  providers: [
    JourneyService,
    PatientMessenger,
    AnalysePhotoProcessor,
    { provide: ChatLock, useFactory: (config: AppConfig) => new ChatLock({ redisUrl: config.redisUrl }), inject: [APP_CONFIG] },
  ],
  exports: [JourneyService, PatientMessenger, ChatLock],
})
export class JourneyModule {}
