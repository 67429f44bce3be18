import type { OutgoingMessage } from '@/messaging/channel.port';
import type { I18nService } from '@/i18n/i18n.service';
import type { InferenceResult, LesionLabel } from '@/inference/inference.types';

const percent = (p: number) => Math.round(p * 100);

/** The patient's result message: top class in words with %, the next two, uncertainty, risk, and the disclaimer. */
export function formatResult(i18n: I18nService, lang: string, result: InferenceResult): OutgoingMessage {
  if (result.verdict === 'not_skin') return { text: i18n.t(lang, 'notSkin') };
  if (result.verdict === 'retake') {
    const reasons = result.reasons.map((r) => i18n.t(lang, `reason_${r}`)).join('; ');
    return { text: i18n.t(lang, 'retakeIntro', { reasons }) };
  }
  const [first, ...rest] = result.top;
  const name = (label: LesionLabel) => i18n.card(lang, label).name;
  const lines = [
    i18n.t(lang, 'resultHeader'),
    '',
    i18n.t(lang, 'resultTop', { name: name(first.label), percent: percent(first.probability) }),
    i18n.t(lang, 'resultNext', {
      list: rest
        .slice(0, 2)
        .map((p) => `${name(p.label)} (${percent(p.probability)}%)`)
        .join(', '),
    }),
  ];
  if (result.uncertain) lines.push('', i18n.t(lang, 'resultUncertain'));
  const riskKey = result.risk === 'urgent' ? 'riskUrgent' : result.risk === 'soon' ? 'riskSoon' : 'riskRoutine';
  lines.push('', i18n.t(lang, riskKey), '', i18n.t(lang, 'notDiagnosis'));
  return { text: lines.join('\n') };
}

/** The information card for one class. */
export function formatCard(i18n: I18nService, lang: string, label: LesionLabel, compact = false): OutgoingMessage {
  const card = i18n.card(lang, label);
  if (compact) {
    // Basic phones: what it is and the signs to watch, without treatment details.
    return {
      text: [
        i18n.t(lang, 'card_title', { name: card.name }),
        card.what,
        `${i18n.t(lang, 'card_signs')}: ${card.signs}`,
        i18n.t(lang, 'card_footer'),
      ].join('\n\n'),
    };
  }
  return {
    text: [
      i18n.t(lang, 'card_title', { name: card.name }),
      '',
      `${i18n.t(lang, 'card_what')}: ${card.what}`,
      '',
      `${i18n.t(lang, 'card_signs')}: ${card.signs}`,
      '',
      `${i18n.t(lang, 'card_treatment')}: ${card.treatment}`,
      '',
      `${i18n.t(lang, 'card_complications')}: ${card.complications}`,
      '',
      i18n.t(lang, 'card_footer'),
    ].join('\n'),
  };
}
