import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import type { LesionLabel } from '@/inference/inference.types';
import { enCards, DiseaseCard } from './cards/en';
import { Catalog, en, MessageKey } from './catalogs/en';

const CATALOGS: Record<string, Partial<Catalog>> = { en };
const CARDS: Record<string, Partial<Record<LesionLabel, DiseaseCard>>> = { en: enCards };

/** Patient-facing texts by language, with English as the fallback for any missing key. */
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
    const template = CATALOGS[lang]?.[key] ?? en[key];
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  }

  card(lang: string, label: LesionLabel): DiseaseCard {
    return CARDS[lang]?.[label] ?? enCards[label];
  }
}
