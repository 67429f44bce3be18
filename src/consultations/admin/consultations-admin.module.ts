import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@/common/admin-token.guard';
import { ConsultationsModule } from '../consultations.module';
import { ConsultationsAdminController } from './consultations-admin.controller';

@Module({ imports: [ConsultationsModule], controllers: [ConsultationsAdminController], providers: [AdminTokenGuard] })
export class ConsultationsAdminModule {}
