import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { SkinClassifier } from './classifier';
import type { InferenceResult } from './inference.types';

/**
 * The classifier as the rest of the service sees it: loaded once at boot, one photo at a time in,
 * an {@link InferenceResult} out. No tensor ever leaves src/inference.
 */
@Injectable()
export class InferenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InferenceService.name);
  private classifier?: SkinClassifier;
  /** Inference is CPU-bound: photos are classified one after another in this process. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    this.classifier = await SkinClassifier.load({
      modelDir: this.config.inference.modelDir,
      minShortSide: this.config.inference.minImageSide,
    });
    this.logger.log(
      `Model ${this.classifier.model.name}@${this.classifier.model.version} loaded on the ${this.classifier.backend} backend in ${Date.now() - started} ms`,
    );
  }

  isReady(): boolean {
    return this.classifier !== undefined;
  }

  describe(): { model: { name: string; version: string }; backend: string } | undefined {
    return this.classifier && { model: this.classifier.model, backend: this.classifier.backend };
  }

  /** Gates and classifies one photo. Bad images become a `retake` / `not_skin` verdict, never an exception. */
  diagnose(image: Buffer): Promise<InferenceResult> {
    const classifier = this.classifier;
    if (!classifier) return Promise.reject(new Error('Model not loaded yet'));
    const run = this.chain.then(() => classifier.diagnose(image));
    this.chain = run.catch(() => undefined);
    return run;
  }

  onApplicationShutdown(): void {
    this.classifier?.dispose();
  }
}
