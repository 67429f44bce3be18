import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { SkinClassifier } from './classifier';
import { InferencePool } from './inference-pool';
import type { InferenceResult } from './inference.types';

/**
 * The classifier as the rest of the service sees it: loaded once at boot, one photo in, an
 * {@link InferenceResult} out. With INFERENCE_CONCURRENCY above 1 the model runs in that many child
 * processes (every core in use); with 1 it runs in this process, one photo at a time.
 * No tensor ever leaves src/inference.
 */
@Injectable()
export class InferenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InferenceService.name);
  private classifier?: SkinClassifier;
  private pool?: InferencePool;
  /** In-process inference is CPU-bound: photos are classified one after another. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    const options = { modelDir: this.config.inference.modelDir, minShortSide: this.config.inference.minImageSide };
    const workers = this.config.inference.concurrency;
    if (workers > 1) {
      this.pool = new InferencePool(workers, options, (m) => this.logger.warn(m));
      await this.pool.start();
    } else {
      this.classifier = await SkinClassifier.load(options);
    }
    const info = this.describe()!;
    this.logger.log(
      `Model ${info.model.name}@${info.model.version} loaded on the ${info.backend} backend in ${Date.now() - started} ms (${workers > 1 ? `${workers} worker processes` : 'in process'})`,
    );
  }

  isReady(): boolean {
    return this.classifier !== undefined || this.pool !== undefined;
  }

  describe(): { model: { name: string; version: string }; backend: string } | undefined {
    if (this.pool) return { model: this.pool.model, backend: this.pool.backend };
    return this.classifier && { model: this.classifier.model, backend: this.classifier.backend };
  }

  /** Gates and classifies one photo. Bad images become a `retake` / `not_skin` verdict, never an exception. */
  diagnose(image: Buffer): Promise<InferenceResult> {
    if (this.pool) return this.pool.run(image);
    const classifier = this.classifier;
    if (!classifier) return Promise.reject(new Error('Model not loaded yet'));
    const run = this.chain.then(() => classifier.diagnose(image));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async onApplicationShutdown(): Promise<void> {
    this.classifier?.dispose();
    await this.pool?.close();
  }
}
