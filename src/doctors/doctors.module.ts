import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { DashboardModule } from '@/dashboard/dashboard.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { I18nModule } from '@/i18n/i18n.module';
import { JourneyModule } from '@/journey/journey.module';
import { PatientsModule } from '@/patients/patients.module';
import { PhotosModule } from '@/photos/photos.module';
import { Doctor } from './doctor.entity';
import { DoctorInboxService } from './doctor-inbox.service';
import { DoctorsService } from './doctors.service';

/** The doctors' registry (also used by the `npm run doctor` CLI). */
@Module({ imports: [TypeOrmModule.forFeature([Doctor])], providers: [DoctorsService], exports: [DoctorsService] })
export class DoctorsModule {}

/** The doctors' inbox in the Telegram group; present only when TELEGRAM_DOCTORS_CHAT_ID is set. */
@Module({})
export class DoctorInboxModule {
  static register(enabled: boolean): DynamicModule {
    return {
      module: DoctorInboxModule,
      imports: [
        DoctorsModule,
        DashboardModule,
        AuditModule,
        ConsultationsModule,
        I18nModule,
        JourneyModule,
        PatientsModule,
        PhotosModule,
      ],
      providers: enabled ? [DoctorInboxService] : [],
      exports: enabled ? [DoctorInboxService] : [],
    };
  }
}
