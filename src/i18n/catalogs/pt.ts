import type { Catalog } from './en';

/**
 * Portuguese (português), worded to read naturally in Brazil, Portugal and Lusophone Africa (third-person
 * forms, "telefone"). Same keys as English; `{placeholders}` and /commands are kept as they are.
 */
export const pt: Catalog = {
  languageName: 'Português',
  welcome:
    'Bem-vindo/a ao DermLink. Envie uma foto de uma mancha ou de um sinal (pinta) na pele e daremos uma primeira opinião automática em segundos; depois, um médico vai analisar o seu caso.',
  chooseLanguage: 'Por favor, escolha o seu idioma:',
  consent:
    'Antes de começar, por favor leia isto:\n' +
    '• Guardamos a sua foto, as suas respostas e as nossas mensagens, para acompanhar o seu caso.\n' +
    '• Só o programa automático e os nossos médicos inscritos as veem.\n' +
    '• O resultado automático NÃO é um diagnóstico. Só um médico pode fazer o diagnóstico.\n' +
    '• Pode apagar os seus dados a qualquer momento com /delete.\n' +
    'Concorda?',
  consentAgree: 'Concordo',
  consentDecline: 'Não, obrigado/a',
  consentThanks: 'Obrigado/a. Envie uma foto nítida da mancha, de perto, com boa luz e bem focada.',
  consentDeclined:
    'Sem problema. Nada será analisado. Se mudar de ideia, envie /start. Se a mancha o/a preocupa, procure um médico.',
  consentNeeded: 'Guardamos a sua foto em segurança, mas precisamos da sua autorização antes de olhar para ela.',
  photoReceived: 'Foto recebida. Em verificação…',
  pendingAfterConsent: 'Agora vamos analisar a foto que enviou antes…',
  resultHeader: 'Primeira opinião automática (não é um diagnóstico)',
  resultTop: 'Mais provável: {name} ({percent}%)',
  resultNext: 'Outras possibilidades: {list}',
  resultUncertain:
    'O programa não tem certeza sobre esta foto: as possibilidades estão muito próximas. Um médico vai olhar com atenção.',
  riskUrgent: 'Prioridade: URGENTE. Procure um médico ou uma clínica de pele dentro de poucos dias, não semanas.',
  riskSoon: 'Prioridade: EM BREVE. Marque uma consulta com um médico nas próximas semanas.',
  riskRoutine: 'Prioridade: NORMAL. Fique atento/a à mancha; procure um médico se ela mudar, sangrar ou der comichão (coceira).',
  notDiagnosis:
    'Isto é uma estimativa feita por computador, não um diagnóstico. Pode estar errada. Só um médico pode dizer o que é.',
  caseOpened: 'Um médico vai analisar o seu caso. O código do seu caso é {code}.',
  retakeIntro: 'Não conseguimos usar esta foto: {reasons}. Por favor, envie uma foto nova.',
  notSkin: 'Isto não parece uma foto de uma mancha na pele. Envie uma foto de perto da mancha na pele.',
  reason_empty_file: 'o ficheiro (arquivo) está vazio',
  reason_unsupported_format: 'não conseguimos abrir este ficheiro (arquivo) como imagem (envie uma foto JPEG ou PNG)',
  reason_too_small: 'a imagem é pequena demais; envie-a no tamanho original',
  reason_too_many_pixels: 'a imagem é grande demais para ser aberta',
  reason_blurry: 'está desfocada; segure o telefone parado e toque no ecrã (tela) para focar',
  reason_too_dark: 'está escura demais; use a luz do dia ou uma lâmpada forte',
  reason_overexposed: 'está clara demais; evite o flash e o sol direto',
  reason_not_skin: 'não parece pele',
  processingFailed: 'Desculpe, algo correu mal ao analisar a sua foto. A foto está guardada; vamos tentar de novo em breve.',
  unsupported: 'Desculpe, aqui só conseguimos ler fotos e mensagens de texto curtas. Envie uma foto da mancha na pele.',
  textHint: 'Para abrir um caso, envie uma foto da mancha na pele. /help mostra o que posso fazer.',
  help:
    'Como funciona:\n' +
    '1. Envie uma foto nítida da mancha na pele.\n' +
    '2. Recebe uma primeira opinião automática (não é um diagnóstico) e um código de caso.\n' +
    '3. Um médico analisa o seu caso e responde aqui.\n' +
    'Comandos: /status os seus casos, /language mudar de idioma, /delete apagar os seus dados, /help este texto.',
  statusNone: 'Ainda não tem nenhum caso. Envie uma foto para abrir um.',
  statusLine: '{code}: {status} (aberto em {date})',
  status_new: 'à espera de análise',
  status_awaiting_doctor: 'à espera de um médico',
  status_claimed: 'em análise por um médico',
  status_answered: 'respondido por um médico',
  status_closed: 'fechado',
  status_rejected: 'foto não utilizável',
  deleteConfirm:
    'Isto apaga do DermLink as suas fotos, respostas e mensagens. Os médicos já não poderão responder-lhe. Tem a certeza?',
  deleteYes: 'Sim, apagar tudo',
  deleteNo: 'Não, manter',
  deleteDone: 'Os seus dados foram apagados. Envie /start se quiser usar o DermLink de novo.',
  deleteCancelled: 'Nada foi apagado.',
  intakeIntro: 'Algumas perguntas rápidas ajudam o médico. Pode saltar qualquer uma.',
  skip: 'Saltar',
  yes: 'Sim',
  no: 'Não',
  q_bodySite: 'Em que parte do corpo está?',
  bodySite_head: 'Rosto, cabeça ou pescoço',
  bodySite_trunk: 'Peito, barriga ou costas',
  bodySite_arms: 'Braços ou mãos',
  bodySite_legs: 'Pernas ou pés',
  bodySite_intimate: 'Zona íntima',
  bodySite_other: 'Noutro lugar',
  q_duration: 'Há quanto tempo tem isto?',
  duration_weeks: 'Menos de um mês',
  duration_months: '1 a 12 meses',
  duration_years: 'Mais de um ano',
  q_changing: 'Mudou de tamanho, forma ou cor nos últimos tempos?',
  q_bleeding: 'Sangra?',
  q_itching: 'Dá comichão (coceira)?',
  q_age: 'Que idade tem? (toque numa faixa de idade ou escreva a sua idade)',
  age_child: 'Menos de 18',
  age_young: '18 a 39',
  age_middle: '40 a 59',
  age_older: '60 ou mais',
  q_sex: 'O seu sexo?',
  q_discreet: 'Quer que os médicos vejam a sua foto desfocada até tocarem nela? (por privacidade)',
  sex_female: 'Feminino',
  sex_male: 'Masculino',
  sex_other: 'Outro / prefiro não dizer',
  intakeDone: 'Obrigado/a. As suas respostas foram juntadas ao caso {code}.',
  languageSet: 'Idioma escolhido: português.',
  rateLimited: 'Enviou muitas fotos. Espere um minuto e depois envie uma foto de cada vez.',
  doctorAsksPhoto:
    'O médico que analisa o caso {code} pede outra foto da mancha: de perto, nítida, com boa luz. Por favor, envie-a agora.',
  extraPhotoAdded: 'Obrigado/a. A nova foto foi juntada ao caso {code}.',
  followUpSent: 'A sua mensagem foi passada ao médico do caso {code}.',
  followUpNotSent: 'Desculpe, a sua mensagem não chegou aos médicos neste momento. Envie-a de novo dentro de alguns minutos.',
  somethingWentWrong: 'Desculpe, algo correu mal do nosso lado. Envie a sua mensagem de novo dentro de alguns minutos.',
  doctorReply: 'Dr./Dra. {doctor} sobre o seu caso {code}:',
  doctorUrgent:
    'Dr./Dra. {doctor} analisou o caso {code} e recomenda que procure um médico ou um especialista de pele, pessoalmente e com URGÊNCIA, nos próximos dias. Por favor, leve esta mensagem consigo.',
  doctorClosed:
    'Dr./Dra. {doctor} analisou o caso {code} e fechou-o: não precisa de teleconsulta. Se a mancha mudar ou o/a preocupar, envie uma foto nova ou procure um médico.',
  mediaUnavailable: 'Desculpe, não conseguimos descarregar (baixar) a sua foto. Por favor, envie-a de novo.',
  mediaTooLarge:
    'Este ficheiro (arquivo) é grande demais para o recebermos (mais de 20 MB). Por favor, envie-o como uma foto normal.',
  replyWithNumber: 'Responda com o número da sua escolha:',
  menuButton: 'Escolher',
  outreachHelp:
    'Modo de trabalho de campo (agente de saúde). Envie NEW para inscrever um paciente e depois envie a foto dele. Envie STATUS para ver os casos dos seus pacientes.',
  outreachAskInitials: 'Novo paciente. Quais são as iniciais do nome? (por exemplo: AK)',
  outreachAskAge: 'Idade do paciente, em anos?',
  outreachAskSex: 'Sexo do paciente?',
  outreachAskVillage: 'Aldeia, bairro ou zona onde vive?',
  outreachConsent:
    'Por favor, leia isto ao paciente: guardamos a foto e as respostas do paciente para acompanhar o caso; só o nosso programa automático e os nossos médicos inscritos as veem; o resultado automático não é um diagnóstico; o paciente pode pedir-lhe a qualquer momento que apague os seus dados. O paciente concorda?',
  outreachRegistered: 'Paciente {initials} inscrito. Envie agora a foto da mancha na pele.',
  outreachNoPatient: 'Envie NEW para inscrever um paciente antes de enviar uma foto.',
  outreachDeclined: 'Nada foi guardado para este paciente.',
  outreachInvalid: 'Por favor, responda à pergunta acima.',
  card_title: 'Sobre: {name}',
  card_what: 'O que é',
  card_signs: 'Sinais comuns',
  card_treatment: 'Tratamento habitual',
  card_complications: 'Problemas possíveis',
  card_footer:
    'Esta informação é geral. Não é um diagnóstico. Procure um médico se a mancha for nova, mudar, sangrar ou o/a preocupar.',
};
