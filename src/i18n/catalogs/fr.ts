import type { Catalog } from './en';

/** French (français). Same keys as English; `{placeholders}` and /commands are kept as they are. */
export const fr: Catalog = {
  languageName: 'Français',
  welcome:
    'Bienvenue sur DermLink. Envoyez une photo d’une tache ou d’un grain de beauté sur la peau : nous vous donnerons un premier avis automatique en quelques secondes, puis un médecin examinera votre dossier.',
  chooseLanguage: 'Choisissez votre langue :',
  consent:
    'Avant de commencer, merci de lire ceci :\n' +
    '• Nous gardons votre photo, vos réponses et nos messages, pour suivre votre dossier.\n' +
    '• Seuls le programme automatique et nos médecins inscrits les voient.\n' +
    '• Le résultat automatique n’est PAS un diagnostic. Seul un médecin peut poser un diagnostic.\n' +
    '• Vous pouvez effacer vos données à tout moment avec /delete.\n' +
    'Êtes-vous d’accord ?',
  consentAgree: 'Je suis d’accord',
  consentDecline: 'Non, merci',
  consentThanks: 'Merci. Envoyez une photo nette de la tache, prise de près, avec une bonne lumière.',
  consentDeclined:
    'Pas de problème. Rien ne sera analysé. Si vous changez d’avis, envoyez /start. Si la tache vous inquiète, allez voir un médecin.',
  consentNeeded: 'Votre photo est gardée en sécurité, mais nous avons besoin de votre accord avant de la regarder.',
  photoReceived: 'Photo reçue. Vérification en cours…',
  pendingAfterConsent: 'Nous regardons maintenant la photo que vous avez envoyée tout à l’heure…',
  resultHeader: 'Premier avis automatique (ce n’est pas un diagnostic)',
  resultTop: 'Le plus probable : {name} ({percent} %)',
  resultNext: 'Autres possibilités : {list}',
  resultUncertain: 'Le programme hésite pour cette photo : les possibilités sont proches. Un médecin va regarder avec attention.',
  riskUrgent:
    'Priorité : URGENT. Allez voir un médecin ou un centre de dermatologie dans les jours qui viennent, pas dans des semaines.',
  riskSoon: 'Priorité : BIENTÔT. Prenez rendez-vous avec un médecin dans les prochaines semaines.',
  riskRoutine: 'Priorité : NORMALE. Surveillez la tache ; allez voir un médecin si elle change, saigne ou démange.',
  notDiagnosis:
    'Ceci est une estimation faite par un ordinateur, pas un diagnostic. Elle peut être fausse. Seul un médecin peut vous dire ce que c’est.',
  caseOpened: 'Un médecin va examiner votre dossier. Le code de votre dossier est {code}.',
  retakeIntro: 'Nous ne pouvons pas utiliser cette photo : {reasons}. Envoyez une nouvelle photo, s’il vous plaît.',
  notSkin: 'Cela ne ressemble pas à une photo de tache sur la peau. Envoyez une photo prise de près de la tache sur la peau.',
  reason_empty_file: 'le fichier est vide',
  reason_unsupported_format: 'nous ne pouvons pas ouvrir ce fichier comme une image (envoyez une photo JPEG ou PNG)',
  reason_too_small: 'l’image est trop petite ; envoyez-la en taille réelle',
  reason_too_many_pixels: 'l’image est beaucoup trop grande pour être ouverte',
  reason_blurry: 'elle est floue ; tenez le téléphone immobile et touchez l’écran pour faire la mise au point',
  reason_too_dark: 'elle est trop sombre ; utilisez la lumière du jour ou une lampe forte',
  reason_overexposed: 'elle est trop claire ; évitez le flash et le soleil direct',
  reason_not_skin: 'elle ne ressemble pas à de la peau',
  processingFailed:
    'Désolé, un problème est survenu pendant l’examen de votre photo. Elle est gardée ; nous allons réessayer bientôt.',
  unsupported:
    'Désolé, ici nous pouvons lire seulement des photos et des messages courts. Envoyez une photo de la tache sur la peau.',
  textHint: 'Pour ouvrir un dossier, envoyez une photo de la tache sur la peau. /help montre ce que je peux faire.',
  help:
    'Comment ça marche :\n' +
    '1. Envoyez une photo nette de la tache sur la peau.\n' +
    '2. Vous recevez un premier avis automatique (ce n’est pas un diagnostic) et un code de dossier.\n' +
    '3. Un médecin examine votre dossier et vous répond ici.\n' +
    'Commandes : /status vos dossiers, /language changer de langue, /delete effacer vos données, /help ce texte.',
  statusNone: 'Vous n’avez pas encore de dossier. Envoyez une photo pour en ouvrir un.',
  statusLine: '{code} : {status} (ouvert le {date})',
  status_new: 'en attente d’analyse',
  status_awaiting_doctor: 'en attente d’un médecin',
  status_claimed: 'un médecin le regarde',
  status_answered: 'un médecin a répondu',
  status_closed: 'fermé',
  status_rejected: 'photo inutilisable',
  deleteConfirm:
    'Cela efface vos photos, vos réponses et vos messages de DermLink. Les médecins ne pourront plus vous répondre. Êtes-vous sûr(e) ?',
  deleteYes: 'Oui, tout effacer',
  deleteNo: 'Non, garder',
  deleteDone: 'Vos données ont été effacées. Envoyez /start si vous voulez utiliser DermLink à nouveau.',
  deleteCancelled: 'Rien n’a été effacé.',
  intakeIntro: 'Quelques questions rapides aident le médecin. Vous pouvez passer n’importe laquelle.',
  skip: 'Passer',
  yes: 'Oui',
  no: 'Non',
  q_bodySite: 'Où se trouve la tache sur le corps ?',
  bodySite_head: 'Visage, tête ou cou',
  bodySite_trunk: 'Poitrine, ventre ou dos',
  bodySite_arms: 'Bras ou mains',
  bodySite_legs: 'Jambes ou pieds',
  bodySite_intimate: 'Parties intimes',
  bodySite_other: 'Ailleurs',
  q_duration: 'Depuis combien de temps l’avez-vous ?',
  duration_weeks: 'Moins d’un mois',
  duration_months: '1 à 12 mois',
  duration_years: 'Plus d’un an',
  q_changing: 'A-t-elle changé de taille, de forme ou de couleur récemment ?',
  q_bleeding: 'Est-ce qu’elle saigne ?',
  q_itching: 'Est-ce qu’elle démange ?',
  q_age: 'Quel âge avez-vous ? (touchez une tranche d’âge ou écrivez votre âge)',
  age_child: 'Moins de 18 ans',
  age_young: '18 à 39 ans',
  age_middle: '40 à 59 ans',
  age_older: '60 ans ou plus',
  q_sex: 'Votre sexe ?',
  q_discreet: "Les médecins doivent-ils voir votre photo floutée jusqu'à ce qu'ils appuient dessus ? (pour votre intimité)",
  sex_female: 'Femme',
  sex_male: 'Homme',
  sex_other: 'Autre / je préfère ne pas le dire',
  intakeDone: 'Merci. Vos réponses ont été ajoutées au dossier {code}.',
  languageSet: 'Langue choisie : français.',
  rateLimited: 'Vous envoyez beaucoup de photos. Attendez une minute, puis envoyez une seule photo à la fois.',
  doctorAsksPhoto:
    'Le médecin qui examine le dossier {code} demande une autre photo de la tache : de près, nette, avec une bonne lumière. Envoyez-la maintenant, s’il vous plaît.',
  extraPhotoAdded: 'Merci. La nouvelle photo a été ajoutée au dossier {code}.',
  followUpSent: 'Votre message a été transmis au médecin du dossier {code}.',
  followUpNotSent:
    'Désolé, votre message n’a pas pu être transmis aux médecins pour le moment. Renvoyez-le dans quelques minutes.',
  somethingWentWrong: 'Désolé, un problème est survenu de notre côté. Renvoyez votre message dans quelques minutes.',
  doctorReply: 'Dr {doctor}, au sujet de votre dossier {code} :',
  doctorUrgent:
    'Le Dr {doctor} a examiné le dossier {code} et vous conseille de voir un médecin ou un dermatologue en personne, EN URGENCE, dans les prochains jours. Emportez ce message avec vous.',
  doctorClosed:
    'Le Dr {doctor} a examiné le dossier {code} et l’a fermé : une téléconsultation n’est pas nécessaire. Si la tache change ou vous inquiète, envoyez une nouvelle photo ou allez voir un médecin.',
  mediaUnavailable: 'Désolé, nous n’avons pas pu télécharger votre photo. Envoyez-la à nouveau, s’il vous plaît.',
  mediaTooLarge:
    'Ce fichier est trop gros pour que nous puissions le recevoir (plus de 20 Mo). Envoyez-le comme une photo normale, s’il vous plaît.',
  replyWithNumber: 'Répondez avec le numéro de votre choix :',
  menuButton: 'Choisir',
  outreachHelp:
    'Mode terrain (agent de santé). Envoyez NEW pour inscrire un patient, puis envoyez sa photo. Envoyez STATUS pour voir les dossiers de vos patients.',
  outreachAskInitials: 'Nouveau patient. Quelles sont ses initiales ? (par exemple : AK)',
  outreachAskAge: 'Son âge, en années ?',
  outreachAskSex: 'Son sexe ?',
  outreachAskVillage: 'Son village ou son quartier ?',
  outreachConsent:
    'Lisez ceci au patient, s’il vous plaît : nous gardons sa photo et ses réponses pour suivre son dossier ; seuls notre programme automatique et nos médecins inscrits les voient ; le résultat automatique n’est pas un diagnostic ; il peut vous demander à tout moment d’effacer ses données. Le patient est-il d’accord ?',
  outreachRegistered: 'Patient {initials} inscrit. Envoyez maintenant la photo de la tache sur la peau.',
  outreachNoPatient: 'Envoyez NEW pour inscrire un patient avant d’envoyer une photo.',
  outreachDeclined: 'Rien n’a été enregistré pour ce patient.',
  outreachInvalid: 'Répondez à la question ci-dessus, s’il vous plaît.',
  card_title: 'À propos : {name}',
  card_what: 'Ce que c’est',
  card_signs: 'Signes habituels',
  card_treatment: 'Traitement habituel',
  card_complications: 'Problèmes possibles',
  card_footer:
    'Ces informations sont générales. Ce n’est pas un diagnostic. Allez voir un médecin si la tache est nouvelle, change, saigne ou vous inquiète.',
};
