import { Module } from '@nestjs/common';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { PatientsModule } from '@/patients/patients.module';
import { AdminSessionsService } from './admin-sessions.service';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

@Module({
  imports: [ConsultationsModule, PatientsModule],
  controllers: [DashboardController],
  providers: [AdminSessionsService, DashboardService],
  exports: [AdminSessionsService],
})
export class DashboardModule {}
