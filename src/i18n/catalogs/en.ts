/**
 * English: the reference catalogue. Every other language has the same keys; a missing key falls back
 * to English. `{name}` placeholders are filled by I18nService.t.
 */
export const en = {
  languageName: 'English',
  welcome:
    'Welcome to DermLink. Send a photo of a skin spot or mole and we will give you a first, automatic opinion within seconds, and a doctor will review your case.',
  chooseLanguage: 'Please choose your language:',
  consent:
    'Before we start, please read this:\n' +
    '• We store your photo, your answers and our messages to you, to run your case.\n' +
    '• Only the automatic model and our registered doctors see them.\n' +
    '• The automatic result is NOT a diagnosis. Only a doctor can diagnose.\n' +
    '• You can erase your data at any time with /delete.\n' +
    'Do you agree?',
  consentAgree: 'I agree',
  consentDecline: 'No, thanks',
  consentThanks: 'Thank you. Send a clear, close photo of the spot, in good light, in focus.',
  consentDeclined:
    'No problem. Nothing will be analysed. If you change your mind, send /start. If the spot worries you, please see a doctor.',
  consentNeeded: 'We keep your photo safe, but we need your agreement before we look at it.',
  photoReceived: 'Photo received. Checking it now…',
  pendingAfterConsent: 'Now looking at the photo you sent earlier…',
  resultHeader: 'Automatic first opinion (not a diagnosis)',
  resultTop: 'Most likely: {name} ({percent}%)',
  resultNext: 'Other possibilities: {list}',
  resultUncertain: 'The model is unsure about this photo: the possibilities are close. A doctor will look carefully.',
  riskUrgent: 'Priority: URGENT. Please see a doctor or skin clinic within days, not weeks.',
  riskSoon: 'Priority: SOON. Please arrange to see a doctor in the next few weeks.',
  riskRoutine: 'Priority: ROUTINE. Keep an eye on it; see a doctor if it changes, bleeds or itches.',
  notDiagnosis: 'This is a computer estimate, not a diagnosis. It can be wrong. Only a doctor can tell you what this is.',
  caseOpened: 'A doctor will review your case. Your case code is {code}.',
  retakeIntro: 'We could not use this photo: {reasons}. Please send a new photo.',
  notSkin: 'This does not look like a photo of a skin spot. Please send a close photo of the spot on the skin.',
  reason_empty_file: 'the file is empty',
  reason_unsupported_format: 'we cannot open this file as a picture (send a JPEG or PNG photo)',
  reason_too_small: 'the picture is too small; send it at full size',
  reason_too_many_pixels: 'the picture is far too large to open',
  reason_blurry: 'it is blurry; hold the phone still and tap the screen to focus',
  reason_too_dark: 'it is too dark; use daylight or a bright lamp',
  reason_overexposed: 'it is too bright; avoid the flash and direct sun',
  reason_not_skin: 'it does not look like skin',
  processingFailed: 'Sorry, something went wrong while looking at your photo. It is kept; we will try again shortly.',
  unsupported: 'Sorry, we can only read photos and short text messages here. Please send a photo of the skin spot.',
  textHint: 'To start a case, send a photo of the skin spot. /help shows what I can do.',
  help:
    'How it works:\n' +
    '1. Send a clear photo of the skin spot.\n' +
    '2. You get an automatic first opinion (not a diagnosis) and a case code.\n' +
    '3. A doctor reviews your case and answers you here.\n' +
    'Commands: /status your cases, /language change language, /delete erase your data, /help this text.',
  statusNone: 'You have no cases yet. Send a photo to start one.',
  statusLine: '{code}: {status} (opened {date})',
  status_new: 'waiting for analysis',
  status_awaiting_doctor: 'waiting for a doctor',
  status_claimed: 'a doctor is looking at it',
  status_answered: 'answered by a doctor',
  status_closed: 'closed',
  status_rejected: 'photo not usable',
  deleteConfirm:
    'This erases your photos, answers and messages from DermLink. Doctors will no longer be able to answer you. Are you sure?',
  deleteYes: 'Yes, erase everything',
  deleteNo: 'No, keep it',
  deleteDone: 'Your data has been erased. Send /start if you want to use DermLink again.',
  deleteCancelled: 'Nothing was erased.',
  intakeIntro: 'A few quick questions help the doctor. You can skip any of them.',
  skip: 'Skip',
  yes: 'Yes',
  no: 'No',
  q_bodySite: 'Where on the body is it?',
  bodySite_head: 'Face, head or neck',
  bodySite_trunk: 'Chest, belly or back',
  bodySite_arms: 'Arms or hands',
  bodySite_legs: 'Legs or feet',
  bodySite_intimate: 'Intimate area',
  bodySite_other: 'Somewhere else',
  q_duration: 'How long have you had it?',
  duration_weeks: 'Less than a month',
  duration_months: '1 to 12 months',
  duration_years: 'More than a year',
  q_changing: 'Has it changed in size, shape or colour recently?',
  q_bleeding: 'Does it bleed?',
  q_itching: 'Does it itch?',
  q_age: 'How old are you? (tap a range or type your age)',
  age_child: 'Under 18',
  age_young: '18 to 39',
  age_middle: '40 to 59',
  age_older: '60 or older',
  q_sex: 'Your sex?',
  q_discreet: 'Should the doctors see your photo blurred until they tap on it? (for privacy)',
  sex_female: 'Female',
  sex_male: 'Male',
  sex_other: 'Other / prefer not to say',
  intakeDone: 'Thank you. Your answers have been added to case {code}.',
  languageSet: 'Language set to English.',
  rateLimited: 'You are sending a lot of photos. Please wait a minute, then send one photo at a time.',
  doctorAsksPhoto:
    'The doctor reviewing case {code} asks for another photo of the spot: close, sharp, in good light. Please send it now.',
  extraPhotoAdded: 'Thank you. The new photo was added to case {code}.',
  followUpSent: 'Your message was passed to the doctor for case {code}.',
  followUpNotSent: 'Sorry, your message could not reach the doctors just now. Please send it again in a few minutes.',
  somethingWentWrong: 'Sorry, something went wrong on our side. Please send your message again in a few minutes.',
  doctorReply: 'Dr {doctor} about your case {code}:',
  doctorUrgent:
    'Dr {doctor} reviewed case {code} and recommends that you see a doctor or skin specialist in person URGENTLY, within the next few days. Please take this message with you.',
  doctorClosed:
    'Dr {doctor} reviewed case {code} and closed it: it does not need a teleconsultation. If the spot changes or worries you, send a new photo or see a doctor.',
  mediaUnavailable: 'Sorry, we could not download your photo. Please send it again.',
  mediaTooLarge: 'This file is too large for us to receive (over 20 MB). Please send it as a normal photo.',
  replyWithNumber: 'Reply with the number of your choice:',
  menuButton: 'Choose',
  outreachHelp: "Outreach mode. Send NEW to register a patient, then send their photo. Send STATUS to see your patients' cases.",
  outreachAskInitials: 'New patient. What are their initials? (for example: AK)',
  outreachAskAge: 'Their age in years?',
  outreachAskSex: 'Their sex?',
  outreachAskVillage: 'Their village or area?',
  outreachConsent:
    'Please read this to the patient: we store their photo and answers to run their case; only our model and registered doctors see them; the automatic result is not a diagnosis; they can ask you to erase their data at any time. Does the patient agree?',
  outreachRegistered: 'Patient {initials} registered. Send the photo of the skin spot now.',
  outreachNoPatient: 'Send NEW to register a patient before sending a photo.',
  outreachDeclined: 'Nothing was registered for this patient.',
  outreachInvalid: 'Please answer the question above.',
  card_title: 'About: {name}',
  card_what: 'What it is',
  card_signs: 'Common signs',
  card_treatment: 'Usual treatment',
  card_complications: 'Possible problems',
  card_footer:
    'This information is general. It is not a diagnosis. See a doctor if the spot is new, changing, bleeding or worries you.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
