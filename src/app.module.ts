import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BotsModule, BotsOverrides } from './bots/bots.module';
import { AuditModule } from './audit/audit.module';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { ConversationModule } from './conversation/conversation.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DoctorInboxModule, DoctorsModule } from './doctors/doctors.module';
import { ConsultationsAdminModule } from './consultations/admin/consultations-admin.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { PrivacyModule } from './privacy/privacy.module';
import { HealthController } from './health/health.controller';
import { I18nModule } from './i18n/i18n.module';
import { InferenceModule } from './inference/inference.module';
import { JobsModule } from './jobs/jobs.module';
import { JourneyModule } from './journey/journey.module';
import { MessagingModule } from './messaging/messaging.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutreachModule } from './outreach/outreach.module';
import { PatientsModule } from './patients/patients.module';
import { PhotosModule } from './photos/photos.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RedisModule } from './redis/redis.module';

/**
 * The whole service. Read top to bottom it is how a message flows: infrastructure (configuration,
 * Redis, database, jobs, rate limits, the outbox), the messaging vocabulary and the texts, the
 * domain's records (audit, patients, photos, cases, doctors), the model, the channel adapters that
 * deliver into messaging, the conversation that takes patients' messages to the journey or the
 * outreach dialogue, the doctors' inbox that takes the group's events, then the admin surfaces.
 */
@Module({})
export class AppModule {
  /** The whole service for a validated configuration (main.ts and the e2e tests build it the same way). */
  static forRoot(config: AppConfig, overrides: BotsOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.withConfig(config),
        RedisModule,
        DatabaseModule,
        JobsModule,
        RateLimitsModule,
        OutboxModule,
        MessagingModule,
        I18nModule,
        // The domain's records, shared by the features below.
        AuditModule,
        PatientsModule,
        PhotosModule,
        ConsultationsModule,
        DoctorsModule,
        InferenceModule,
        BotsModule.register(config, overrides),
        ConversationModule,
        JourneyModule,
        OutreachModule,
        DoctorInboxModule.register(!!config.telegram?.doctorsChatId),
        ConsultationsAdminModule,
        PrivacyModule,
        DashboardModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}
