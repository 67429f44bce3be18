import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseEvents } from './case-events';
import { Consultation } from './consultation.entity';
import { ConsultationsService } from './consultations.service';

@Module({
  imports: [TypeOrmModule.forFeature([Consultation])],
  providers: [ConsultationsService, CaseEvents],
  exports: [ConsultationsService, CaseEvents],
})
export class ConsultationsModule {}
