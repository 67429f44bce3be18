import type { LesionLabel } from '@/inference/inference.types';
import type { DiseaseCard } from './en';

/** Swahili disease cards, translated from the English ones (./en.ts); the usual medical name is kept in brackets. */
export const swCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Keratosisi ya jua (actinic keratosis) au ugonjwa wa Bowen',
    what: 'Sehemu ya ngozi yenye ukwaru inayosababishwa na jua kwa miaka mingi. Ni badiliko la mapema lililo juu ya ngozi tu; likiachwa bila matibabu, wakati mwingine linaweza kugeuka kuwa saratani ya ngozi iitwayo squamous cell carcinoma. Hutokea mara nyingi kwa watu wazima wenye ngozi nyeupe.',
    signs:
      'Sehemu kavu, yenye ukwaru, magamba au kigaga, kwa kawaida ndogo kuliko sentimita 2, kwenye ngozi inayopigwa na jua: uso, ngozi ya kichwa, masikio, mikono, sehemu ya juu ya viganja. Inaweza kuwa ya rangi ya waridi, nyekundu, kahawia au kijivu, na ikiguswa huhisi kama msasa.',
    treatment:
      'Kwa kawaida ni rahisi: krimu au jeli, kugandisha kwa baridi kali (cryotherapy), matibabu kwa mwanga, au upasuaji mdogo. Daktari atachagua yanayofaa.',
    complications:
      'Sehemu chache kati ya hizi hugeuka polepole kuwa saratani ya ngozi; ndiyo sababu daktari anapaswa kuziangalia na kuzitibu mapema. Kujikinga na jua husaidia kuzuia mpya zisitokee.',
  },
  bcc: {
    name: 'Saratani ya seli za msingi za ngozi (basal cell carcinoma)',
    what: 'Aina ya saratani ya ngozi inayotokea mara nyingi zaidi. Hukua polepole na karibu kamwe haienei kwenye viungo vingine, lakini isipotibiwa huendelea kukua ndani ya ngozi inayoizunguka.',
    signs:
      'Uvimbe mdogo unaong’aa kama lulu au unaoonekana kama kioo, wakati mwingine wenye mishipa midogo ya damu; kidonda kinachotoa damu, kuweka kigaga na hakiponi; au sehemu nyekundu iliyo bapa yenye magamba, au sehemu inayofanana na kovu. Kwa kawaida kwenye uso, masikio au shingo.',
    treatment:
      'Kwa kawaida huondolewa kwa upasuaji mdogo. Kukwangua na kuchoma, mionzi (radiotherapy), krimu au vidonge ni njia nyingine ambazo daktari anaweza kuchagua.',
    complications:
      'Isipotibiwa inaweza kuharibu ngozi, neva au sehemu zilizo karibu kama jicho, na inaweza kurudi baada ya matibabu; kwa hiyo kurudi kwa daktari kwa ufuatiliaji ni muhimu.',
  },
  bkl: {
    name: 'Keratosisi isiyo na madhara (kwa mfano seborrhoeic keratosis)',
    what: 'Ukuaji usio na madhara wa tabaka la juu la ngozi, unaotokea mara nyingi kadiri umri unavyoongezeka na kwa jua. Si saratani, lakini baadhi hufanana na saratani, kwa hiyo daktari anapaswa kuthibitisha.',
    signs:
      'Uvimbe wa rangi ya kahawia, nyeusi au hudhurungi hafifu unaoonekana kama nta au kama “umebandikwa” juu ya ngozi, wakati mwingine wenye ukwaru. Unaweza kutokea popote isipokuwa viganjani na nyayoni.',
    treatment:
      'Hauhitaji matibabu. Ukiwashwa, ukinasa kwenye nguo au ukikusumbua, daktari anaweza kuuondoa kwa kugandisha, kukwangua au kwa leza.',
    complications:
      'Unaweza kuwashwa, kuvimba au kupata maambukizi baada ya kusuguliwa. Hatari kuu ni kuuchanganya na saratani ya ngozi, ndiyo sababu ni vizuri daktari auangalie.',
  },
  df: {
    name: 'Dermatofibroma (uvimbe mgumu wa ngozi usio na madhara)',
    what: 'Uvimbe mdogo mgumu usio na madhara ndani ya ngozi, huenda ukawa mwitikio wa jeraha dogo kama kuumwa na mdudu. Hutokea zaidi kwa wanawake.',
    signs:
      'Uvimbe mdogo mgumu wa mviringo (kwa kawaida chini ya sentimita 1), wa rangi ya waridi, kahawia au kijivu, mara nyingi kwenye sehemu ya chini ya miguu. Ukiubana, hubonyea kuingia ndani; unaweza kuuma kidogo ukiguswa au kuwasha.',
    treatment: 'Hauhitaji matibabu. Unaweza kuondolewa kwa upasuaji mdogo ukiuma au ukikusumbua.',
    complications:
      'Mara chache huuma au hupata maambukizi baada ya kujikata wakati wa kunyoa. Unaweza kufanana na uvimbe mwingine, kwa hiyo acha daktari athibitishe.',
  },
  mel: {
    name: 'Melanoma (saratani ya seli za rangi ya ngozi)',
    what: 'Aina hatari zaidi ya saratani ya ngozi, inayoanzia kwenye seli zinazoipa ngozi rangi yake. Ikigunduliwa mapema, kwa kawaida inaweza kuponywa kwa upasuaji rahisi. Ikigunduliwa kwa kuchelewa, inaweza kuenea sehemu nyingine za mwili.',
    signs:
      'Doa jeusi jipya, au doa jeusi linalobadilika. Dalili za hatari (ABCDE): umbo lisilo sawa pande zote mbili, kingo zisizo laini, rangi kadhaa, upana zaidi ya milimita 6, na kubadilika kadiri muda unavyopita. Linaweza pia kuwasha au kutoa damu. Linaweza kuwa popote mwilini.',
    treatment:
      'Huondolewa kwa upasuaji, pamoja na vipimo vya kuona kama imeenea. Baadhi ya watu huhitaji matibabu zaidi kama tiba ya kinga ya mwili (immunotherapy). Daktari bingwa hupanga matibabu.',
    complications:
      'Isipotibiwa mapema, inaweza kuenea kwenye tezi za limfu na viungo vya ndani. Ndiyo sababu doa linaloweza kuwa melanoma linapaswa kuonwa na daktari haraka.',
  },
  nv: {
    name: 'Doa jeusi la kawaida (melanocytic nevus)',
    what: 'Doa jeusi la kawaida kwenye ngozi: kikundi cha seli za rangi kisicho na madhara. Karibu kila mtu ana baadhi.',
    signs:
      'Doa dogo la mviringo au umbo la yai, la rangi ya kahawia, hudhurungi hafifu au nyeusi, lenye rangi na umbo linalolingana. Linaweza kuwa bapa au kuinuka, na linaweza kuwa na nywele.',
    treatment: 'Halihitaji matibabu. Daktari anaweza kuliondoa likionekana si la kawaida au likikusumbua.',
    complications:
      'Mara chache sana doa jeusi hugeuka kuwa melanoma. Muone daktari doa likibadilika ukubwa, umbo au rangi, likitoa damu au likiwasha.',
  },
  vasc: {
    name: 'Doa la mishipa ya damu (kwa mfano cherry angioma)',
    what: 'Doa lililoundwa na mishipa midogo ya damu. Mengi hayana madhara, kama vile cherry angioma (vidoa vyekundu), mishipa midogo inayoonekana kama utando wa buibui, au alama za kuzaliwa.',
    signs:
      'Doa au uvimbe mdogo wa rangi nyekundu, zambarau au bluu, wakati mwingine wenye kingo zinazoonekana wazi; linaweza kufifia likibonyezwa.',
    treatment:
      'Kwa kawaida hakuna matibabu. Likitoa damu mara kwa mara au likikusumbua, daktari anaweza kulitibu, kwa mfano kwa leza.',
    complications:
      'Linaweza kutoa damu likikunwa. Mara chache, kwa watoto, moja hukua haraka au huathiri macho au kupumua: hapo muone daktari.',
  },
};
