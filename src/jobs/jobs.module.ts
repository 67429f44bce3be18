import { DynamicModule, Global, Module } from '@nestjs/common';
import { JobsService, JOBS_REQUIRE_ALL } from './jobs.service';

@Global()
@Module({ providers: [JobsService, { provide: JOBS_REQUIRE_ALL, useValue: true }], exports: [JobsService] })
export class JobsModule {
  /** For specs that wire only some feature modules: boot does not demand a handler for every job. */
  static partial(): DynamicModule {
    return { module: PartialJobsModule };
  }
}

@Global()
@Module({ providers: [JobsService, { provide: JOBS_REQUIRE_ALL, useValue: false }], exports: [JobsService] })
class PartialJobsModule {}
