import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Patient } from './patient.entity';
import { PatientsService } from './patients.service';

@Module({ imports: [TypeOrmModule.forFeature([Patient])], providers: [PatientsService], exports: [PatientsService] })
export class PatientsModule {}
