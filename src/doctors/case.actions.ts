import { actionCodec } from '@/messaging/actions';

/**
 * The buttons under a case post in the doctors' group, typed at both ends: `caseButtons` encodes
 * them, DoctorInboxService's handler table decodes them. Each carries the case code; a press whose
 * code names no case is answered "case gone" by the handler.
 */
const caseVerb = (verb: string) =>
  actionCodec<string>(
    verb,
    (code) => [code],
    ([code]) => code ?? '',
  );

export const CLAIM = caseVerb('claim');
export const ANOTHER_PHOTO = caseVerb('photo');
export const URGENT_REFERRAL = caseVerb('urgent');
export const CLOSE_CASE = caseVerb('close');

const CASE_ACTIONS = [CLAIM, ANOTHER_PHOTO, URGENT_REFERRAL, CLOSE_CASE];

/** The case a message's buttons act on (a case post's), read with the case codecs; undefined for any other buttons. */
export function caseOnButtons(data: readonly string[] | undefined): string | undefined {
  for (const d of data ?? []) {
    for (const codec of CASE_ACTIONS) {
      const code = codec.decode(d);
      if (code) return code;
    }
  }
  return undefined;
}
