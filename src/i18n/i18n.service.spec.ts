import 'reflect-metadata';
import { AppConfig, CLINIC_LANGUAGES } from '@/config/app-config';
import { LESION_LABELS, LESION_NAMES } from '@/inference/inference.types';
import type { DiseaseCard } from './cards/en';
import { en, MessageKey } from './catalogs/en';
import { clinicEn, ClinicKey } from './clinic/en';
import { CARDS, CATALOGS, CLINIC_CATALOGS, I18nService, templateFor } from './i18n.service';

const KEYS = Object.keys(en) as MessageKey[];
const CARD_FIELDS: (keyof DiseaseCard)[] = ['name', 'what', 'signs', 'treatment', 'complications'];
const TRANSLATIONS = Object.keys(CATALOGS).filter((lang) => lang !== 'en');
const CLINIC_KEYS = Object.keys(clinicEn) as ClinicKey[];
const CLINIC_TRANSLATIONS = Object.keys(CLINIC_CATALOGS).filter((lang) => lang !== 'en');

/** The `{name}` tokens of a template, sorted and without duplicates. */
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
/**
 * The commands a template mentions, which patients and outreach workers must type as they are: slash commands
 * (`/start`, not the `/a` of `Bem-vindo/a`) and the outreach keywords NEW and STATUS. Sorted, without duplicates.
 */
const commands = (text: string): string[] => [...new Set(text.match(/(?<!\w)\/[a-z]+\b|\b(?:NEW|STATUS)\b/g) ?? [])].sort();

describe(I18nService.name, () => {
  const service = new I18nService({ defaultLanguage: 'en' } as AppConfig);

  it('should offer the seven patient languages, English first, by their own names', () => {
    expect(service.languages()).toEqual([
      { code: 'en', name: 'English' },
      { code: 'fr', name: 'Français' },
      { code: 'es', name: 'Español' },
      { code: 'pt', name: 'Português' },
      { code: 'sw', name: 'Kiswahili' },
      { code: 'hi', name: 'हिन्दी' },
      { code: 'vi', name: 'Tiếng Việt' },
    ]);
    expect(Object.keys(CARDS)).toEqual(Object.keys(CATALOGS));
  });

  it('should have no missing or empty key in any catalogue', () => {
    const missing = Object.entries(CATALOGS).flatMap(([lang, catalog]) =>
      KEYS.filter((key) => !catalog[key]?.trim()).map((key) => `${lang}.${key}`),
    );
    const unknown = Object.entries(CATALOGS).flatMap(([lang, catalog]) =>
      Object.keys(catalog)
        .filter((key) => !(key in en))
        .map((key) => `${lang}.${key}`),
    );
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it('should have every field of all seven disease cards in every language', () => {
    const missing = Object.keys(CATALOGS).flatMap((lang) =>
      LESION_LABELS.flatMap((label) =>
        CARD_FIELDS.filter((field) => !CARDS[lang]?.[label]?.[field]?.trim()).map((field) => `${lang}.${label}.${field}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('should keep the English placeholders and commands in every translation', () => {
    const mismatches = TRANSLATIONS.flatMap((lang) =>
      KEYS.flatMap((key) => {
        const text = CATALOGS[lang][key] ?? '';
        const problems: string[] = [];
        if (placeholders(text).join() !== placeholders(en[key]).join())
          problems.push(`${lang}.${key}: placeholders [${placeholders(text).join()}] != [${placeholders(en[key]).join()}]`);
        if (commands(text).join() !== commands(en[key]).join())
          problems.push(`${lang}.${key}: commands [${commands(text).join()}] != [${commands(en[key]).join()}]`);
        return problems;
      }),
    );
    expect(mismatches).toEqual([]);
  });

  it('should translate the texts and cards rather than copy the English', () => {
    // Keys whose text may legitimately be the same as in English in some language.
    const sameAllowed = new Set<MessageKey>(['no', 'age_young', 'age_middle']);
    const copied = TRANSLATIONS.flatMap((lang) => [
      ...KEYS.filter((key) => !sameAllowed.has(key) && CATALOGS[lang][key] === en[key]).map((key) => `${lang}.${key}`),
      ...LESION_LABELS.filter((label) => CARDS[lang]?.[label]?.what === CARDS.en[label]?.what).map((l) => `${lang}.${l}.what`),
    ]);
    expect(copied).toEqual([]);
  });

  it('should resolve a channel language hint to a supported language, else the default', () => {
    expect(service.resolve('pt-BR')).toBe('pt');
    expect(service.resolve('sw')).toBe('sw');
    expect(service.resolve('fr_CA')).toBe('fr');
    expect(service.resolve('VI')).toBe('vi');
    expect(service.resolve('de')).toBe('en');
    expect(service.resolve(undefined)).toBe('en');
    expect(new I18nService({ defaultLanguage: 'sw' } as AppConfig).resolve('xx')).toBe('sw');
    expect(new I18nService({ defaultLanguage: 'xx' } as AppConfig).resolve('zz')).toBe('en');
  });

  it('should fill placeholders in the patient language', () => {
    expect(service.t('fr', 'caseOpened', { code: 'K7Q2' })).toBe(
      'Un médecin va examiner votre dossier. Le code de votre dossier est K7Q2.',
    );
    expect(service.t('sw', 'doctorReply', { doctor: 'Amina', code: 'K7Q2' })).toBe('Dkt. Amina kuhusu kesi yako K7Q2:');
    expect(service.card('vi', 'mel').name).toBe('U hắc tố ác tính (melanoma)');
  });

  it('should fall back to English for a key missing or empty in a partial catalogue, and for an unknown language', () => {
    expect(templateFor({ languageName: 'Partial', welcome: 'Bienvenue' }, 'welcome')).toBe('Bienvenue');
    expect(templateFor({ languageName: 'Partial' }, 'caseOpened')).toBe(en.caseOpened);
    expect(templateFor({ caseOpened: '' }, 'caseOpened')).toBe(en.caseOpened);
    expect(templateFor(undefined, 'help')).toBe(en.help);
    expect(service.t('xx', 'caseOpened', { code: 'K7Q2' })).toBe('A doctor will review your case. Your case code is K7Q2.');
    expect(service.card('xx', 'nv')).toEqual(CARDS.en.nv);
  });

  describe("clinic texts (the doctors' group)", () => {
    it('should exist in every language CLINIC_LANGUAGE accepts, with no missing, empty or unknown key', () => {
      expect(Object.keys(CLINIC_CATALOGS)).toEqual([...CLINIC_LANGUAGES]);
      const missing = Object.entries(CLINIC_CATALOGS).flatMap(([lang, catalog]) =>
        CLINIC_KEYS.filter((key) => !catalog[key]?.trim()).map((key) => `${lang}.${key}`),
      );
      const unknown = Object.entries(CLINIC_CATALOGS).flatMap(([lang, catalog]) =>
        Object.keys(catalog)
          .filter((key) => !(key in clinicEn))
          .map((key) => `${lang}.${key}`),
      );
      expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
    });

    it('should keep the English placeholders, commands, case code pattern and diagnosis labels in every translation', () => {
      const kept = (text: string) =>
        [...placeholders(text), ...commands(text), ...(text.match(/C-X+|\b(?:akiec|bcc|bkl|df|mel|nv|vasc)\b/g) ?? [])].join();
      const mismatches = CLINIC_TRANSLATIONS.flatMap((lang) =>
        CLINIC_KEYS.filter((key) => kept(CLINIC_CATALOGS[lang][key] ?? '') !== kept(clinicEn[key])).map(
          (key) => `${lang}.${key}: [${kept(CLINIC_CATALOGS[lang][key] ?? '')}] != [${kept(clinicEn[key])}]`,
        ),
      );
      expect(mismatches).toEqual([]);
    });

    it('should translate the clinic texts rather than copy the English', () => {
      // Texts that may legitimately read the same as in English: units, the queue line's layout, URGENT and some names.
      const sameAllowed = new Set<ClinicKey>([
        'age_minutes',
        'age_hours',
        'age_days',
        'queueLine',
        'casePost_risk_urgent',
        'queueUrgent',
        'value_no',
      ]);
      const copied = CLINIC_TRANSLATIONS.flatMap((lang) =>
        CLINIC_KEYS.filter(
          (key) => !sameAllowed.has(key) && !key.startsWith('lesion_') && CLINIC_CATALOGS[lang][key] === clinicEn[key],
        ).map((key) => `${lang}.${key}`),
      );
      expect(copied).toEqual([]);
    });

    it('should name the seven classes in English as the model does', () => {
      expect(LESION_LABELS.map((label) => clinicEn[`lesion_${label}`])).toEqual(
        LESION_LABELS.map((label) => LESION_NAMES[label]),
      );
    });

    it('should use CLINIC_LANGUAGE, fill placeholders, and fall back to English for a missing key or an unknown language', () => {
      expect(new I18nService({ clinicLanguage: 'fr' } as AppConfig).clinic('alreadyClaimed', { doctor: 'Amina Okafor' })).toBe(
        'Déjà pris en charge par Dr Amina Okafor.',
      );
      expect(new I18nService({ clinicLanguage: 'sw' } as AppConfig).clinic('caseClosed')).toBe('Kesi imefungwa.');
      expect(service.clinic('alreadyClaimed', { doctor: 'Amina Okafor' })).toBe('Already claimed by Dr Amina Okafor.');
      expect(new I18nService({ clinicLanguage: 'xx' } as AppConfig).clinic('queueHeader', { count: 2 })).toBe('Open cases (2):');
      expect(templateFor({ caseClosed: '' }, 'caseClosed', clinicEn)).toBe('Case closed.');
      expect(templateFor(undefined, 'notRegistered', clinicEn)).toBe(clinicEn.notRegistered);
    });
  });
});
