import type { Catalog } from './en';

/** Spanish (español, neutral, "usted"). Same keys as English; `{placeholders}` and /commands are kept as they are. */
export const es: Catalog = {
  languageName: 'Español',
  welcome:
    'Bienvenido/a a DermLink. Envíe una foto de una mancha o un lunar de la piel y le daremos una primera opinión automática en unos segundos; después, un médico revisará su caso.',
  chooseLanguage: 'Por favor, elija su idioma:',
  consent:
    'Antes de empezar, por favor lea esto:\n' +
    '• Guardamos su foto, sus respuestas y nuestros mensajes, para llevar su caso.\n' +
    '• Solo el programa automático y nuestros médicos registrados los ven.\n' +
    '• El resultado automático NO es un diagnóstico. Solo un médico puede diagnosticar.\n' +
    '• Puede borrar sus datos en cualquier momento con /delete.\n' +
    '¿Está de acuerdo?',
  consentAgree: 'Estoy de acuerdo',
  consentDecline: 'No, gracias',
  consentThanks: 'Gracias. Envíe una foto clara de la mancha, de cerca, con buena luz y bien enfocada.',
  consentDeclined:
    'No hay problema. No se analizará nada. Si cambia de opinión, envíe /start. Si la mancha le preocupa, vaya a ver a un médico.',
  consentNeeded: 'Guardamos su foto de forma segura, pero necesitamos su permiso antes de mirarla.',
  photoReceived: 'Foto recibida. La estamos revisando…',
  pendingAfterConsent: 'Ahora estamos mirando la foto que envió antes…',
  resultHeader: 'Primera opinión automática (no es un diagnóstico)',
  resultTop: 'Lo más probable: {name} ({percent}%)',
  resultNext: 'Otras posibilidades: {list}',
  resultUncertain:
    'El programa no está seguro con esta foto: las posibilidades están muy cerca. Un médico la mirará con atención.',
  riskUrgent: 'Prioridad: URGENTE. Vaya a ver a un médico o a una clínica de la piel en los próximos días, no semanas.',
  riskSoon: 'Prioridad: PRONTO. Pida una cita con un médico en las próximas semanas.',
  riskRoutine: 'Prioridad: NORMAL. Vigile la mancha; vaya al médico si cambia, sangra o pica.',
  notDiagnosis:
    'Esto es un cálculo de una computadora, no un diagnóstico. Puede estar equivocado. Solo un médico puede decirle qué es.',
  caseOpened: 'Un médico revisará su caso. El código de su caso es {code}.',
  retakeIntro: 'No pudimos usar esta foto: {reasons}. Por favor, envíe una foto nueva.',
  notSkin: 'Esto no parece una foto de una mancha en la piel. Envíe una foto de cerca de la mancha en la piel.',
  reason_empty_file: 'el archivo está vacío',
  reason_unsupported_format: 'no podemos abrir este archivo como imagen (envíe una foto JPEG o PNG)',
  reason_too_small: 'la imagen es demasiado pequeña; envíela en tamaño completo',
  reason_too_many_pixels: 'la imagen es demasiado grande para abrirla',
  reason_blurry: 'está borrosa; mantenga el teléfono quieto y toque la pantalla para enfocar',
  reason_too_dark: 'está demasiado oscura; use la luz del día o una lámpara fuerte',
  reason_overexposed: 'tiene demasiada luz; evite el flash y el sol directo',
  reason_not_skin: 'no parece piel',
  processingFailed: 'Lo sentimos, algo salió mal al revisar su foto. La foto está guardada; lo intentaremos de nuevo pronto.',
  unsupported: 'Lo sentimos, aquí solo podemos leer fotos y mensajes de texto cortos. Envíe una foto de la mancha en la piel.',
  textHint: 'Para abrir un caso, envíe una foto de la mancha en la piel. /help muestra lo que puedo hacer.',
  help:
    'Cómo funciona:\n' +
    '1. Envíe una foto clara de la mancha en la piel.\n' +
    '2. Recibe una primera opinión automática (no es un diagnóstico) y un código de caso.\n' +
    '3. Un médico revisa su caso y le responde aquí.\n' +
    'Comandos: /status sus casos, /language cambiar de idioma, /delete borrar sus datos, /help este texto.',
  statusNone: 'Todavía no tiene ningún caso. Envíe una foto para abrir uno.',
  statusLine: '{code}: {status} (abierto el {date})',
  status_new: 'esperando el análisis',
  status_awaiting_doctor: 'esperando a un médico',
  status_claimed: 'un médico lo está mirando',
  status_answered: 'respondido por un médico',
  status_closed: 'cerrado',
  status_rejected: 'la foto no sirve',
  deleteConfirm: 'Esto borra de DermLink sus fotos, respuestas y mensajes. Los médicos ya no podrán responderle. ¿Está seguro/a?',
  deleteYes: 'Sí, borrar todo',
  deleteNo: 'No, guardarlo',
  deleteDone: 'Sus datos se han borrado. Envíe /start si quiere volver a usar DermLink.',
  deleteCancelled: 'No se borró nada.',
  intakeIntro: 'Unas preguntas rápidas ayudan al médico. Puede saltar cualquiera.',
  skip: 'Saltar',
  yes: 'Sí',
  no: 'No',
  q_bodySite: '¿En qué parte del cuerpo está?',
  bodySite_head: 'Cara, cabeza o cuello',
  bodySite_trunk: 'Pecho, barriga o espalda',
  bodySite_arms: 'Brazos o manos',
  bodySite_legs: 'Piernas o pies',
  bodySite_intimate: 'Zona íntima',
  bodySite_other: 'En otro lugar',
  q_duration: '¿Desde cuándo la tiene?',
  duration_weeks: 'Menos de un mes',
  duration_months: 'De 1 a 12 meses',
  duration_years: 'Más de un año',
  q_changing: '¿Ha cambiado de tamaño, forma o color últimamente?',
  q_bleeding: '¿Sangra?',
  q_itching: '¿Le pica?',
  q_age: '¿Cuántos años tiene? (toque un grupo de edad o escriba su edad)',
  age_child: 'Menos de 18',
  age_young: 'De 18 a 39',
  age_middle: 'De 40 a 59',
  age_older: '60 o más',
  q_sex: '¿Su sexo?',
  q_discreet: '¿Quiere que los médicos vean su foto borrosa hasta que la toquen? (por privacidad)',
  sex_female: 'Mujer',
  sex_male: 'Hombre',
  sex_other: 'Otro / prefiero no decirlo',
  intakeDone: 'Gracias. Sus respuestas se han añadido al caso {code}.',
  languageSet: 'Idioma elegido: español.',
  rateLimited: 'Está enviando muchas fotos. Espere un minuto y luego envíe una sola foto cada vez.',
  doctorAsksPhoto:
    'El médico que revisa el caso {code} pide otra foto de la mancha: de cerca, nítida y con buena luz. Por favor, envíela ahora.',
  extraPhotoAdded: 'Gracias. La nueva foto se ha añadido al caso {code}.',
  followUpSent: 'Su mensaje se ha enviado al médico del caso {code}.',
  followUpNotSent: 'Lo sentimos, su mensaje no ha podido llegar a los médicos ahora. Envíelo de nuevo dentro de unos minutos.',
  somethingWentWrong: 'Lo sentimos, algo ha fallado por nuestra parte. Envíe su mensaje de nuevo dentro de unos minutos.',
  doctorReply: 'Dr./Dra. {doctor}, sobre su caso {code}:',
  doctorUrgent:
    'Dr./Dra. {doctor} revisó el caso {code} y le recomienda ver a un médico o a un especialista de la piel en persona, URGENTEMENTE, en los próximos días. Por favor, lleve este mensaje con usted.',
  doctorClosed:
    'Dr./Dra. {doctor} revisó el caso {code} y lo cerró: no necesita una consulta a distancia. Si la mancha cambia o le preocupa, envíe una foto nueva o vaya a ver a un médico.',
  mediaUnavailable: 'Lo sentimos, no pudimos descargar su foto. Por favor, envíela de nuevo.',
  mediaTooLarge: 'Este archivo es demasiado grande para recibirlo (más de 20 MB). Por favor, envíelo como una foto normal.',
  replyWithNumber: 'Responda con el número de su opción:',
  menuButton: 'Elegir',
  outreachHelp:
    'Modo de trabajo en terreno (promotor de salud). Envíe NEW para registrar a un paciente y después envíe su foto. Envíe STATUS para ver los casos de sus pacientes.',
  outreachAskInitials: 'Paciente nuevo. ¿Cuáles son sus iniciales? (por ejemplo: AK)',
  outreachAskAge: '¿Qué edad tiene, en años?',
  outreachAskSex: '¿Su sexo?',
  outreachAskVillage: '¿Su pueblo o zona?',
  outreachConsent:
    'Por favor, lea esto al paciente: guardamos su foto y sus respuestas para llevar su caso; solo nuestro programa automático y nuestros médicos registrados los ven; el resultado automático no es un diagnóstico; en cualquier momento puede pedirle a usted que borre sus datos. ¿Está de acuerdo el paciente?',
  outreachRegistered: 'Paciente {initials} registrado. Envíe ahora la foto de la mancha en la piel.',
  outreachNoPatient: 'Envíe NEW para registrar a un paciente antes de enviar una foto.',
  outreachDeclined: 'No se registró nada para este paciente.',
  outreachInvalid: 'Por favor, responda a la pregunta de arriba.',
  card_title: 'Sobre: {name}',
  card_what: 'Qué es',
  card_signs: 'Señales habituales',
  card_treatment: 'Tratamiento habitual',
  card_complications: 'Posibles problemas',
  card_footer:
    'Esta información es general. No es un diagnóstico. Vaya a ver a un médico si la mancha es nueva, cambia, sangra o le preocupa.',
};
