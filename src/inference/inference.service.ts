import * as path from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { ClassifyPayload, JobName } from '@/jobs/job.types';
import { JobsService } from '@/jobs/jobs.service';
import { sealPhoto } from '@/photos/photo-cipher';
import classify, { classifierFor, ClassifierWarmUp, disposeClassifier } from './classify.processor';
import type { InferenceResult } from './inference.types';
import { readModelMetadata } from './model-metadata';

/**
 * The classifier as the rest of the service sees it: one photo in, an {@link InferenceResult} out.
 * Every photo is a Classify job. With INFERENCE_CONCURRENCY above 1 (or with Redis) the model runs
 * in that many child processes per instance, every core in use; with 1 and no Redis it runs in this
 * process, loaded once at boot. No tensor ever leaves src/inference.
 */
@Injectable()
export class InferenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InferenceService.name);
  private readonly options: ClassifierWarmUp;
  private readonly inProcess: boolean;
  private info?: { model: { name: string; version: string }; backend: string };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {
    this.options = {
      modelDir: config.inference.modelDir,
      minShortSide: config.inference.minImageSide,
      threads: config.inference.threads,
    };
    const concurrency = config.inference.concurrency;
    this.inProcess = concurrency === 1 && !jobs.distributed;
    jobs.registerSandboxed(
      JobName.Classify,
      {
        file: path.join(__dirname, 'classify.processor'),
        handler: (payload) => classify({ data: payload }),
        warmUp: this.options,
      },
      { concurrency, attempts: 2 },
    );
  }

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    const concurrency = this.config.inference.concurrency;
    if (this.inProcess) {
      const classifier = await classifierFor(this.options);
      this.info = { model: classifier.model, backend: classifier.backend };
    } else {
      // The children load the model (ours at boot, bull's on their first job); this process checks it is there.
      const meta = await readModelMetadata(this.options.modelDir);
      this.info = { model: { name: meta.name, version: meta.version }, backend: 'worker processes' };
    }
    const where = this.inProcess
      ? `in process on ${this.info.backend}`
      : `in ${concurrency} worker processes${this.jobs.distributed ? ' (bull sandboxed processors)' : ''}`;
    this.logger.log(
      `Model ${this.info.model.name}@${this.info.model.version} runs ${where}; ready in ${Date.now() - started} ms`,
    );
  }

  isReady(): boolean {
    return this.info !== undefined;
  }

  describe(): { model: { name: string; version: string }; backend: string } | undefined {
    return this.info;
  }

  /** Gates and classifies one photo. Bad images become a `retake` / `not_skin` verdict, never an exception. */
  diagnose(image: Buffer): Promise<InferenceResult> {
    const key = this.config.privacy.photoKey;
    // Through Redis the photo is sealed with PHOTO_ENCRYPTION_KEY when one is set.
    const sealed = this.jobs.distributed && key !== undefined;
    const payload: ClassifyPayload = {
      ...this.options,
      image: (sealed ? sealPhoto(image, key) : image).toString('base64'),
      sealed,
    };
    return this.jobs.run(JobName.Classify, payload);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.inProcess) await disposeClassifier();
  }
}
