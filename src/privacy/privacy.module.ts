import { Module } from '@nestjs/common';
import { AuditModule } from '@/audit/audit.module';
import { ConsultationsModule } from '@/consultations/consultations.module';
import { PhotosModule } from '@/photos/photos.module';
import { RetentionService } from './retention.service';

@Module({ imports: [AuditModule, ConsultationsModule, PhotosModule], providers: [RetentionService], exports: [RetentionService] })
export class PrivacyModule {}
