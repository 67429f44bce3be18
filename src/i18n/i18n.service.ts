import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import type { LesionLabel } from '@/inference/inference.types';
import { enCards, DiseaseCard } from './cards/en';
import { esCards } from './cards/es';
import { frCards } from './cards/fr';
import { hiCards } from './cards/hi';
import { ptCards } from './cards/pt';
import { swCards } from './cards/sw';
import { viCards } from './cards/vi';
import { Catalog, en, MessageKey } from './catalogs/en';
import { ClinicCatalog, clinicEn, ClinicKey } from './clinic/en';
import { clinicEs } from './clinic/es';
import { clinicFr } from './clinic/fr';
import { clinicHi } from './clinic/hi';
import { clinicPt } from './clinic/pt';
import { clinicSw } from './clinic/sw';
import { clinicVi } from './clinic/vi';
import { es } from './catalogs/es';
import { fr } from './catalogs/fr';
import { hi } from './catalogs/hi';
import { pt } from './catalogs/pt';
import { sw } from './catalogs/sw';
import { vi } from './catalogs/vi';

/** Message catalogues by language code. English first; this order is the order of the language buttons. */
export const CATALOGS: Record<string, Partial<Catalog>> = { en, fr, es, pt, sw, hi, vi };
/** Disease cards by language code, same languages as CATALOGS. */
export const CARDS: Record<string, Partial<Record<LesionLabel, DiseaseCard>>> = {
  en: enCards,
  fr: frCards,
  es: esCards,
  pt: ptCards,
  sw: swCards,
  hi: hiCards,
  vi: viCards,
};

/** The doctors' group texts by language code (CLINIC_LANGUAGE picks one), same languages as CATALOGS. */
export const CLINIC_CATALOGS: Record<string, Partial<ClinicCatalog>> = {
  en: clinicEn,
  fr: clinicFr,
  es: clinicEs,
  pt: clinicPt,
  sw: clinicSw,
  hi: clinicHi,
  vi: clinicVi,
};

/**
 * The template for `key` in `catalog`, or the English one when that is missing or empty. English is
 * the patient catalogue unless `fallback` (e.g. the clinic catalogue) is given.
 */
export function templateFor(catalog: Partial<Catalog> | undefined, key: MessageKey): string;
export function templateFor<K extends string>(
  catalog: Partial<Record<K, string>> | undefined,
  key: K,
  fallback: Record<K, string>,
): string;
export function templateFor(
  catalog: Partial<Record<string, string>> | undefined,
  key: string,
  fallback: Record<string, string> = en,
): string {
  const template = catalog?.[key];
  return template ? template : fallback[key];
}

/** Fills the `{name}` placeholders of `template`; unknown ones stay as they are. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/**
 * Patient-facing texts by language, and the doctors' group texts in the clinic's language, with English
 * as the fallback for any missing key.
 */
@Injectable()
export class I18nService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The languages patients can choose, with their own names. */
  languages(): { code: string; name: string }[] {
    return Object.entries(CATALOGS).map(([code, c]) => ({ code, name: c.languageName ?? code }));
  }

  /** Picks a supported language from a channel's hint such as `pt-BR`, else the default. */
  resolve(hint: string | undefined): string {
    const base = hint?.toLowerCase().split(/[-_]/)[0];
    if (base && CATALOGS[base]) return base;
    return CATALOGS[this.config.defaultLanguage] ? this.config.defaultLanguage : 'en';
  }

  t(lang: string, key: MessageKey, params: Record<string, string | number> = {}): string {
    return fill(templateFor(CATALOGS[lang], key), params);
  }

  /** A doctors' group text in the clinic's language (CLINIC_LANGUAGE), English for any missing key. */
  clinic(key: ClinicKey, params: Record<string, string | number> = {}): string {
    return fill(templateFor(CLINIC_CATALOGS[this.config.clinicLanguage], key, clinicEn), params);
  }

  card(lang: string, label: LesionLabel): DiseaseCard {
    return CARDS[lang]?.[label] ?? enCards[label];
  }
}
