import { Injectable } from '@nestjs/common';
import { JobName } from '@/jobs/job.types';
import { JobsService } from '@/jobs/jobs.service';
import { JourneyService } from './journey.service';

/** The AnalysePhoto job: a thin processor that hands the case to the journey. */
@Injectable()
export class AnalysePhotoProcessor {
  constructor(jobs: JobsService, journey: JourneyService) {
    jobs.register(JobName.AnalysePhoto, ({ consultationId }) => journey.analyse(consultationId));
  }
}
