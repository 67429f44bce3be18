/**
 * The Classify job's processor: gates + model on one photo. It has bull's sandboxed-processor shape
 * (a default export taking `{ data }`), so with Redis bull runs this file in its child processes and
 * without Redis our ProcessorPool does; with INFERENCE_CONCURRENCY=1 the service calls it in process.
 * The classifier is loaded once per process (by `warmUp`, or by the first job).
 */
import type { ClassifyPayload } from '@/jobs/job.types';
import { loadPhotoKey } from '@/config/app-config';
import { openPhoto } from '@/photos/photo-cipher';
import { SkinClassifier } from './classifier';
import type { InferenceResult } from './inference.types';

export type ClassifierWarmUp = Pick<ClassifyPayload, 'modelDir' | 'minShortSide' | 'threads'>;

let loading: Promise<SkinClassifier> | undefined;

/** The process's classifier (loaded on first use; a failed load is retried by the next call). */
export function classifierFor(opts: ClassifierWarmUp): Promise<SkinClassifier> {
  loading ??= SkinClassifier.load({ modelDir: opts.modelDir, minShortSide: opts.minShortSide, threads: opts.threads }).catch(
    (err: Error) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

export async function warmUp(opts: ClassifierWarmUp): Promise<void> {
  const classifier = await classifierFor(opts);
  // A line per worker process, without patient data.
  console.error(
    `Classifier ${classifier.model.name}@${classifier.model.version} ready on ${classifier.backend} (pid ${process.pid})`,
  );
}

/** Photo bytes of a payload; sealed ones (through Redis) are opened with this process's PHOTO_ENCRYPTION_KEY. */
function photoOf(data: ClassifyPayload): Buffer {
  const bytes = Buffer.from(data.image, 'base64');
  if (!data.sealed) return bytes;
  return openPhoto(bytes, loadPhotoKey());
}

export default async function classify(job: { data: ClassifyPayload }): Promise<InferenceResult> {
  const classifier = await classifierFor(job.data);
  return classifier.diagnose(photoOf(job.data));
}

/** Disposes the in-process classifier (the service's shutdown, when it ran in process). */
export async function disposeClassifier(): Promise<void> {
  const current = loading;
  loading = undefined;
  await (await current?.catch(() => undefined))?.dispose();
}
