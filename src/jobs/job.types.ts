import type { Logger } from '@nestjs/common';
import type { ChannelName } from '@/messaging/channel.port';
import type { InferenceResult } from '@/inference/inference.types';

/** Every background job, by name. A job without a registered handler fails the boot. */
export enum JobName {
  /** A patient's photo: model, result, card, case code (runs in the service, calls Classify). */
  AnalysePhoto = 'analyse-photo',
  /** Gates + model on one photo, in a sandboxed child process; answers an InferenceResult. */
  Classify = 'classify',
  /** Sends a chat's pending outbox messages, in order and paced. */
  DeliverOutbox = 'deliver-outbox',
}

/** The typed payload of each job. */
export interface JobPayloads {
  [JobName.AnalysePhoto]: { consultationId: string };
  [JobName.Classify]: ClassifyPayload;
  [JobName.DeliverOutbox]: { channel: ChannelName; chatId: string };
}

/** What each job answers (`JobsService.run`). */
export interface JobResults {
  [JobName.AnalysePhoto]: void;
  [JobName.Classify]: InferenceResult;
  [JobName.DeliverOutbox]: void;
}

export interface ClassifyPayload {
  /** The photo, base64; sealed with PHOTO_ENCRYPTION_KEY when it travels through Redis. */
  image: string;
  sealed: boolean;
  modelDir: string;
  minShortSide: number;
  /** ONNX Runtime threads of the classifier in the process that runs the job. */
  threads: number;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N]) => Promise<JobResults[N]>;

/**
 * A job run in a child process: `file` is the module's path without extension; it default-exports
 * `(job: { data }) => Promise<result>` (bull's sandboxed processor shape) and may export `warmUp(data)`.
 * `handler` is the same function, used when the job runs in this process.
 */
export interface SandboxedProcessor<N extends JobName> {
  file: string;
  handler: JobHandler<N>;
  /** Sent to each child at start so it loads what it needs before the first job (e.g. the model). */
  warmUp?: unknown;
}

/** How many jobs of a kind run at once in one instance. */
export interface JobOptions {
  concurrency: number;
  attempts?: number;
}

/** Thrown by a handler that must be retried after a given delay (e.g. Telegram's 429 retry_after). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/**
 * Logs one failed attempt of a job, alike on Redis and in process: debug for a retry the handler
 * asked for ({@link RetryLaterError} or a subclass; by name, as errors from child processes arrive
 * as plain errors), warn for another failure that will be retried, error with the stack when giving up.
 */
export function logJobFailure(
  logger: Pick<Logger, 'debug' | 'warn' | 'error'>,
  job: string,
  attempt: number,
  last: boolean,
  err: Error,
): void {
  const line = `Job ${job} failed (attempt ${attempt})${last ? ', giving up' : ''}: ${err.message}`;
  if (last) logger.error(line, err.stack);
  else if (err instanceof RetryLaterError || err.name === 'RetryLaterError') logger.debug(line);
  else logger.warn(line);
}

/** Retry delay after `attempt` failures: the error's own delay, else exponential from 500 ms, at most 5 min. */
export function retryDelay(attempt: number, err: unknown): number {
  const own = (err as { delayMs?: unknown } | undefined)?.delayMs;
  if (typeof own === 'number' && own >= 0) return own;
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}
