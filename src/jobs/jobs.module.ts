import { DynamicModule, Global, Module } from '@nestjs/common';
import { JobsService, JOBS_REQUIRE_ALL } from './jobs.service';
import { Scheduler } from './scheduler';

/** Background work: queued jobs (JobsService) and the periodic sweeps (Scheduler). Infrastructure, global. */
@Global()
@Module({ providers: [JobsService, Scheduler, { provide: JOBS_REQUIRE_ALL, useValue: true }], exports: [JobsService, Scheduler] })
export class JobsModule {
  /** For specs that wire only some feature modules: boot does not demand a handler for every job. */
  static partial(): DynamicModule {
    return { module: PartialJobsModule };
  }
}

@Global()
@Module({
  providers: [JobsService, Scheduler, { provide: JOBS_REQUIRE_ALL, useValue: false }],
  exports: [JobsService, Scheduler],
})
class PartialJobsModule {}
