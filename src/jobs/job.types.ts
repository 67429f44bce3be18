/** Every background job, by name. A job without a registered handler fails the boot. */
export enum JobName {
  AnalysePhoto = 'analyse-photo',
}

/** The typed payload of each job. */
export interface JobPayloads {
  [JobName.AnalysePhoto]: { consultationId: string };
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N]) => Promise<void>;
