import { actionCodec } from '@/messaging/actions';

/** The outreach registration dialogue's button verbs, typed at both ends (OutreachService builds and reads them). */

/** `osex:<value>`: the patient's sex as the worker chose it. */
export const OUTREACH_SEX = actionCodec<string>(
  'osex',
  (sex) => [sex],
  (fields) => fields.join(':'),
);

/** `oconsent:yes` or `oconsent:no`: whether the patient agreed to the consent read to them; anything else is not an answer. */
export const OUTREACH_CONSENT = actionCodec<boolean>(
  'oconsent',
  (agree) => [agree ? 'yes' : 'no'],
  (fields) => (fields.length === 1 && fields[0] === 'yes' ? true : fields.length === 1 && fields[0] === 'no' ? false : undefined),
);
