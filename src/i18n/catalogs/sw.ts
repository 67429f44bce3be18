import type { Catalog } from './en';

/** Swahili (Kiswahili). Same keys as English; `{placeholders}` and /commands are kept as they are. */
export const sw: Catalog = {
  languageName: 'Kiswahili',
  welcome:
    'Karibu DermLink. Tuma picha ya doa au doa jeusi kwenye ngozi, nasi tutakupa maoni ya kwanza ya kompyuta ndani ya sekunde chache, kisha daktari ataangalia kesi yako.',
  chooseLanguage: 'Tafadhali chagua lugha yako:',
  consent:
    'Kabla ya kuanza, tafadhali soma hili:\n' +
    '• Tunahifadhi picha yako, majibu yako na ujumbe tunaokutumia, ili kushughulikia kesi yako.\n' +
    '• Ni mfumo wa kompyuta na madaktari wetu waliosajiliwa tu wanaoviona.\n' +
    '• Jibu la kompyuta SI utambuzi wa ugonjwa. Ni daktari tu anayeweza kutambua ugonjwa.\n' +
    '• Unaweza kufuta taarifa zako wakati wowote kwa kutuma /delete.\n' +
    'Je, unakubali?',
  consentAgree: 'Nakubali',
  consentDecline: 'Hapana, asante',
  consentThanks: 'Asante. Tuma picha ya doa iliyo wazi, iliyopigwa karibu, kwenye mwanga mzuri.',
  consentDeclined:
    'Sawa, hakuna shida. Hakuna kitakachochunguzwa. Ukibadili nia, tuma /start. Kama doa linakutia wasiwasi, tafadhali muone daktari.',
  consentNeeded: 'Tunaihifadhi picha yako salama, lakini tunahitaji ridhaa yako kabla ya kuiangalia.',
  photoReceived: 'Picha imepokelewa. Tunaikagua sasa…',
  pendingAfterConsent: 'Sasa tunaangalia picha uliyotuma mapema…',
  resultHeader: 'Maoni ya kwanza ya kompyuta (si utambuzi wa ugonjwa)',
  resultTop: 'Uwezekano mkubwa zaidi: {name} ({percent}%)',
  resultNext: 'Uwezekano mwingine: {list}',
  resultUncertain: 'Kompyuta haina uhakika kuhusu picha hii: majibu yanakaribiana. Daktari ataiangalia kwa makini.',
  riskUrgent: 'Kipaumbele: HARAKA. Tafadhali muone daktari au nenda kliniki ya ngozi ndani ya siku chache, si wiki.',
  riskSoon: 'Kipaumbele: HIVI KARIBUNI. Tafadhali panga kumwona daktari katika wiki chache zijazo.',
  riskRoutine: 'Kipaumbele: KAWAIDA. Endelea kuliangalia doa; muone daktari likibadilika, likitoa damu au likiwasha.',
  notDiagnosis:
    'Haya ni makadirio ya kompyuta, si utambuzi wa ugonjwa. Yanaweza kuwa si sahihi. Ni daktari tu anayeweza kukuambia hili ni nini.',
  caseOpened: 'Daktari ataangalia kesi yako. Namba ya kesi yako ni {code}.',
  retakeIntro: 'Hatukuweza kutumia picha hii: {reasons}. Tafadhali tuma picha mpya.',
  notSkin: 'Hii haionekani kuwa picha ya doa la ngozi. Tafadhali tuma picha ya doa iliyopigwa karibu na ngozi.',
  reason_empty_file: 'faili ni tupu',
  reason_unsupported_format: 'hatuwezi kufungua faili hili kama picha (tuma picha ya JPEG au PNG)',
  reason_too_small: 'picha ni ndogo mno; itume kwa ukubwa wake kamili',
  reason_too_many_pixels: 'picha ni kubwa mno kufunguliwa',
  reason_blurry: 'haiko wazi (ina ukungu); shika simu bila kutikisika na gusa skrini ili picha iwe wazi',
  reason_too_dark: 'ina giza mno; tumia mwanga wa mchana au taa yenye mwanga mkali',
  reason_overexposed: 'ina mwanga mwingi mno; usitumie flash wala jua kali moja kwa moja',
  reason_not_skin: 'haionekani kuwa ngozi',
  processingFailed:
    'Samahani, tatizo limetokea tulipokuwa tukiangalia picha yako. Picha imehifadhiwa; tutajaribu tena hivi karibuni.',
  unsupported: 'Samahani, hapa tunaweza kusoma picha na ujumbe mfupi wa maandishi tu. Tafadhali tuma picha ya doa la ngozi.',
  textHint: 'Ili kuanzisha kesi, tuma picha ya doa la ngozi. /help inaonyesha ninachoweza kufanya.',
  help:
    'Jinsi inavyofanya kazi:\n' +
    '1. Tuma picha iliyo wazi ya doa la ngozi.\n' +
    '2. Utapata maoni ya kwanza ya kompyuta (si utambuzi wa ugonjwa) na namba ya kesi.\n' +
    '3. Daktari ataangalia kesi yako na kukujibu hapa.\n' +
    'Amri: /status kesi zako, /language badilisha lugha, /delete futa taarifa zako, /help maelezo haya.',
  statusNone: 'Bado huna kesi yoyote. Tuma picha ili kuanzisha kesi.',
  statusLine: '{code}: {status} (ilifunguliwa {date})',
  status_new: 'inasubiri kuchunguzwa',
  status_awaiting_doctor: 'inasubiri daktari',
  status_claimed: 'daktari anaiangalia',
  status_answered: 'daktari amejibu',
  status_closed: 'imefungwa',
  status_rejected: 'picha haifai',
  deleteConfirm:
    'Hii itafuta picha zako, majibu yako na ujumbe wako kwenye DermLink. Madaktari hawataweza tena kukujibu. Una uhakika?',
  deleteYes: 'Ndiyo, futa kila kitu',
  deleteNo: 'Hapana, usifute',
  deleteDone: 'Taarifa zako zimefutwa. Tuma /start ukitaka kutumia DermLink tena.',
  deleteCancelled: 'Hakuna kilichofutwa.',
  intakeIntro: 'Maswali machache mafupi yanamsaidia daktari. Unaweza kuruka swali lolote.',
  skip: 'Ruka',
  yes: 'Ndiyo',
  no: 'Hapana',
  q_bodySite: 'Liko wapi mwilini?',
  bodySite_head: 'Uso, kichwa au shingo',
  bodySite_trunk: 'Kifua, tumbo au mgongo',
  bodySite_arms: 'Mikono au viganja',
  bodySite_legs: 'Miguu au nyayo',
  bodySite_intimate: 'Sehemu za siri',
  bodySite_other: 'Sehemu nyingine',
  q_duration: 'Umekuwa nalo kwa muda gani?',
  duration_weeks: 'Chini ya mwezi mmoja',
  duration_months: 'Miezi 1 hadi 12',
  duration_years: 'Zaidi ya mwaka mmoja',
  q_changing: 'Je, limebadilika ukubwa, umbo au rangi hivi karibuni?',
  q_bleeding: 'Je, linatoa damu?',
  q_itching: 'Je, linawasha?',
  q_age: 'Una umri gani? (gusa kundi la umri au andika umri wako)',
  age_child: 'Chini ya miaka 18',
  age_young: 'Miaka 18 hadi 39',
  age_middle: 'Miaka 40 hadi 59',
  age_older: 'Miaka 60 au zaidi',
  q_sex: 'Jinsia yako?',
  q_discreet: 'Je, madaktari waone picha yako ikiwa imefichwa hadi waiguse? (kwa faragha)',
  sex_female: 'Mwanamke',
  sex_male: 'Mwanamume',
  sex_other: 'Nyingine / sipendi kusema',
  intakeDone: 'Asante. Majibu yako yameongezwa kwenye kesi {code}.',
  languageSet: 'Lugha imewekwa: Kiswahili.',
  rateLimited: 'Unatuma picha nyingi sana. Tafadhali subiri dakika moja, kisha tuma picha moja baada ya nyingine.',
  doctorAsksPhoto:
    'Daktari anayeangalia kesi {code} anaomba picha nyingine ya doa: iliyopigwa karibu, iliyo wazi, kwenye mwanga mzuri. Tafadhali itume sasa.',
  extraPhotoAdded: 'Asante. Picha mpya imeongezwa kwenye kesi {code}.',
  followUpSent: 'Ujumbe wako umepelekwa kwa daktari wa kesi {code}.',
  followUpNotSent: 'Samahani, ujumbe wako haukuweza kuwafikia madaktari sasa hivi. Tafadhali utume tena baada ya dakika chache.',
  somethingWentWrong: 'Samahani, kuna hitilafu upande wetu. Tafadhali tuma ujumbe wako tena baada ya dakika chache.',
  doctorReply: 'Dkt. {doctor} kuhusu kesi yako {code}:',
  doctorUrgent:
    'Dkt. {doctor} ameangalia kesi {code} na anakushauri umwone daktari au mtaalamu wa ngozi ana kwa ana KWA HARAKA, ndani ya siku chache zijazo. Tafadhali nenda na ujumbe huu.',
  doctorClosed:
    'Dkt. {doctor} ameangalia kesi {code} na ameifunga: haihitaji ushauri wa daktari kwa njia ya simu. Doa likibadilika au likikutia wasiwasi, tuma picha mpya au muone daktari.',
  mediaUnavailable: 'Samahani, hatukuweza kupakua picha yako. Tafadhali itume tena.',
  mediaTooLarge: 'Faili hili ni kubwa mno kwetu kupokea (zaidi ya MB 20). Tafadhali litume kama picha ya kawaida.',
  replyWithNumber: 'Jibu kwa kutuma namba ya chaguo lako:',
  menuButton: 'Chagua',
  outreachHelp:
    'Hali ya mhudumu wa afya wa jamii. Tuma NEW ili kusajili mgonjwa, kisha tuma picha yake. Tuma STATUS ili kuona kesi za wagonjwa wako.',
  outreachAskInitials: 'Mgonjwa mpya. Herufi za kwanza za majina yake ni zipi? (kwa mfano: AK)',
  outreachAskAge: 'Ana umri wa miaka mingapi?',
  outreachAskSex: 'Jinsia yake?',
  outreachAskVillage: 'Kijiji au eneo lake?',
  outreachConsent:
    'Tafadhali msomee mgonjwa haya: tunahifadhi picha yake na majibu yake ili kushughulikia kesi yake; ni mfumo wetu wa kompyuta na madaktari wetu waliosajiliwa tu wanaoviona; jibu la kompyuta si utambuzi wa ugonjwa; anaweza kukuomba ufute taarifa zake wakati wowote. Je, mgonjwa anakubali?',
  outreachRegistered: 'Mgonjwa {initials} amesajiliwa. Tuma picha ya doa la ngozi sasa.',
  outreachNoPatient: 'Tuma NEW ili kusajili mgonjwa kabla ya kutuma picha.',
  outreachDeclined: 'Hakuna kilichosajiliwa kwa mgonjwa huyu.',
  outreachInvalid: 'Tafadhali jibu swali lililo hapo juu.',
  card_title: 'Kuhusu: {name}',
  card_what: 'Ni nini',
  card_signs: 'Dalili za kawaida',
  card_treatment: 'Matibabu ya kawaida',
  card_complications: 'Matatizo yanayoweza kutokea',
  card_footer:
    'Maelezo haya ni ya jumla. Si utambuzi wa ugonjwa. Muone daktari kama doa ni jipya, linabadilika, linatoa damu au linakutia wasiwasi.',
};
