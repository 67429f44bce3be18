import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { JobName } from '@/jobs/job.types';
import { JobsService } from '@/jobs/jobs.service';
import { JourneyService } from './journey.service';

/** The AnalysePhoto job: a thin processor that hands the case to the journey. */
@Injectable()
export class AnalysePhotoProcessor {
  constructor(jobs: JobsService, journey: JourneyService, @Inject(APP_CONFIG) config: AppConfig) {
    // As many cases at once as there are inference workers, so none of them waits for work.
    jobs.register(JobName.AnalysePhoto, ({ consultationId }) => journey.analyse(consultationId), {
      concurrency: config.inference.concurrency,
    });
  }
}
