/**
 * English: the reference catalogue of the clinic side, the texts doctors read in their Telegram group
 * and in private chats with the bot. The clinic picks one language with CLINIC_LANGUAGE; every other
 * language has the same keys and a missing key falls back to English. `{name}` placeholders are filled
 * by I18nService.clinic. Case codes, slash commands and the diagnosis labels
 * (akiec|bcc|bkl|df|mel|nv|vasc|other) stay as they are in every language.
 *
 * The `status_*`, `value_*` and `reason_*` texts are the machine codes themselves in English, so that
 * the English texts stay exactly as they were; other languages give them words.
 */
export const clinicEn = {
  // The case post (the caption of the photo in the group).
  casePost_title: 'Case {code} · {risk}',
  casePost_riskUrgentReferral: 'URGENT REFERRAL',
  casePost_risk_urgent: 'URGENT',
  casePost_risk_soon: 'SOON',
  casePost_risk_routine: 'ROUTINE',
  casePost_ai: 'AI: {list}',
  casePost_top: 'Top: {name}',
  casePost_topUncertain: 'Top: {name} (uncertain)',
  casePost_photoNotes: 'Photo notes: {reasons}',
  casePost_intake: 'Intake: {answers}',
  casePost_intakeNone: 'Intake: none given',
  casePost_site: 'site {value}',
  casePost_duration: 'for {value}',
  casePost_changing: 'changing {value}',
  casePost_bleeding: 'bleeding {value}',
  casePost_itching: 'itching {value}',
  casePost_patient: 'Age {age} · Sex {sex} · via {channel}',
  casePost_extraPhotos: 'Extra photos: {count}',
  casePost_doctorDiagnosis: "Doctor's diagnosis: {diagnosis}",
  casePost_statusClaimed: 'Status: Claimed by Dr {doctor}',
  casePost_statusAnswered: 'Status: Answered by Dr {doctor}',
  casePost_statusClosed: 'Status: Closed',
  casePost_statusWaiting: 'Status: Waiting for a doctor ({age})',
  casePost_replyHint: 'Reply to this message to answer the patient.',
  age_minutes: '{n} min',
  age_hours: '{n} h',
  age_days: '{n} d',

  // Buttons under the case post (their callback data never changes).
  button_claim: 'Claim',
  button_anotherPhoto: 'Ask for another photo',
  button_urgentReferral: 'Urgent referral',
  button_close: 'Close (not a case)',

  // Names of the seven classes, as doctors read them.
  lesion_akiec: "Actinic keratosis / Bowen's disease",
  lesion_bcc: 'Basal cell carcinoma',
  lesion_bkl: 'Benign keratosis',
  lesion_df: 'Dermatofibroma',
  lesion_mel: 'Melanoma',
  lesion_nv: 'Melanocytic nevus (mole)',
  lesion_vasc: 'Vascular lesion',

  // The patient's intake answers (machine codes in English).
  value_head: 'head',
  value_trunk: 'trunk',
  value_arms: 'arms',
  value_legs: 'legs',
  value_intimate: 'intimate',
  value_other: 'other',
  value_weeks: 'weeks',
  value_months: 'months',
  value_years: 'years',
  value_yes: 'yes',
  value_no: 'no',
  value_female: 'female',
  value_male: 'male',

  // Why a photo is weak or was refused (machine codes in English).
  reason_empty_file: 'empty_file',
  reason_unsupported_format: 'unsupported_format',
  reason_too_small: 'too_small',
  reason_too_many_pixels: 'too_many_pixels',
  reason_blurry: 'blurry',
  reason_too_dark: 'too_dark',
  reason_overexposed: 'overexposed',
  reason_not_skin: 'not_skin',

  // Case statuses (machine codes in English).
  status_new: 'new',
  status_awaiting_doctor: 'awaiting_doctor',
  status_claimed: 'claimed',
  status_answered: 'answered',
  status_closed: 'closed',
  status_rejected: 'rejected',

  // Answers to the buttons (shown as a toast to the doctor who tapped).
  notRegistered: 'Only registered doctors can act on cases. Ask the clinic admin to register you.',
  caseGone: 'This case no longer exists.',
  alreadyClaimed: 'Already claimed by Dr {doctor}.',
  caseIsStatus: 'This case is {status}.',
  claimed: 'You have case {code}. Reply to the post to answer the patient.',
  photoRequested: 'The patient has been asked for another photo.',
  urgentMarked: 'Marked for urgent referral; the patient is told.',
  caseClosed: 'Case closed.',
  alreadyClosed: 'This case is already closed.',
  unknownAction: 'Unknown action.',

  // Posts in the group.
  reminder: 'Reminder: case {code} has waited {minutes} min without a doctor. Tap Claim on the case post.',
  reminderUrgent: 'Reminder: case {code} (URGENT) has waited {minutes} min without a doctor. Tap Claim on the case post.',
  noCaseUsage: 'No case found. Usage: /{command} C-XXXXXX',
  noCaseUsageArgs: 'No case found. Usage: /{command} C-XXXXXX ...',
  usagePrescribe: 'Usage: /prescribe {code} <advice or prescription>',
  usageDx: 'Usage: /dx {code} <{labels}>',
  dxRecorded: "Recorded: Dr {doctor}'s diagnosis for {code} is {diagnosis} (AI said {ai}).",
  notSent: 'Case {code} is {status}; nothing was sent.',
  claimedByOther: 'Case {code} is claimed by Dr {doctor}; only they can answer it.',
  patientErased: 'The patient of {code} has erased their data; nothing was sent.',
  followUpText: 'Patient follow-up on {code}:\n{text}',
  followUpPhoto: 'Patient follow-up on {code}: new photo',
  queueHeader: 'Open cases ({count}):',
  queueLine: '{code} · {risk} · {minutes} min · {state}',
  queueUrgent: 'URGENT',
  queue_soon: 'soon',
  queue_routine: 'routine',
  queueClaimed: 'claimed',
  queueUnclaimed: 'unclaimed',
  queueEmpty: 'No open cases.',
  dashboardLink: 'Your one-time dashboard link (valid 10 minutes):\n{link}',
  dashboardSent: 'I sent you a one-time dashboard link in a private chat.',
  dashboardCannotWrite: 'I cannot write to you privately: open a chat with me, press Start, then send /dashboard again.',

  // Alerts from the WhatsApp channel.
  whatsappDisconnected: "WhatsApp disconnected ({reason}). Reconnecting; patients' replies are queued.",
  whatsappLoginFailed: 'WhatsApp login failed. An admin must scan a new QR code (GET /api/v1/whatsapp/qr.png).',
} as const;

/** A key of the clinic catalogue. */
export type ClinicKey = keyof typeof clinicEn;
/** A complete clinic catalogue: every key, in one language. */
export type ClinicCatalog = Record<ClinicKey, string>;
/** Fills a clinic text in the clinic's language (I18nService.clinic, bound). */
export type ClinicTranslate = (key: ClinicKey, params?: Record<string, string | number>) => string;
