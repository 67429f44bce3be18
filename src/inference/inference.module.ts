import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { DiagnosesController } from './diagnoses.controller';
import { InferenceService } from './inference.service';

@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.http.maxUploadBytes, files: 1 } }),
    }),
  ],
  controllers: [DiagnosesController],
  providers: [InferenceService],
  exports: [InferenceService],
})
export class InferenceModule {}
