import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@/audit/audit.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { I18nModule } from '@/i18n/i18n.module';
import { JourneyModule } from '@/journey/journey.module';
import { PatientsModule } from '@/patients/patients.module';
import { OutreachWorker } from './outreach-worker.entity';
import { OutreachWorkersService } from './outreach-workers.service';
import { OutreachService } from './outreach.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([OutreachWorker]),
    AuditModule,
    ConsultationsModule,
    I18nModule,
    JourneyModule,
    PatientsModule,
  ],
  providers: [OutreachWorkersService, OutreachService],
  exports: [OutreachWorkersService, OutreachService],
})
export class OutreachModule {}
