import { actionCodec } from '@/messaging/actions';

/**
 * The patient journey's button verbs, typed at both ends: JourneyService builds its buttons with
 * these encoders and its handler table decodes presses with the same codecs.
 */

/** `lang:<code>`: the language chosen (resolved against the supported ones by the handler). */
export const LANGUAGE = actionCodec<string>(
  'lang',
  (code) => [code],
  ([code]) => code || undefined,
);

/** `consent:yes` agrees; any other answer declines. */
export const CONSENT = actionCodec<boolean>(
  'consent',
  (agree) => [agree ? 'yes' : 'no'],
  ([answer]) => answer === 'yes',
);

/** `intake:<field>:<value>`: an answer to an intake question (`-` skips it); checked against the question asked. */
export const INTAKE_ANSWER = actionCodec<{ field: string; value: string }>(
  'intake',
  ({ field, value }) => [field, value],
  ([field, value]) => (field && value !== undefined ? { field, value } : undefined),
);

/** `delete:yes` erases the patient's data; any other answer keeps it. */
export const DELETE_CONFIRM = actionCodec<boolean>(
  'delete',
  (erase) => [erase ? 'yes' : 'no'],
  ([answer]) => answer === 'yes',
);
