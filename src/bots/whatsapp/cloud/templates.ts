import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageNotice } from '@/messaging/channel.port';
import { OPEN_WINDOW_PAYLOAD } from './cloud.normalizer';

/** One language of a template: Meta's language code, the body with {{1}}.. placeholders, the quick-reply button. */
export interface TemplateLanguage {
  code: string;
  body: string;
  button: string;
}

/** A template definition as shipped in WHATSAPP_TEMPLATES_DIR (see whatsapp-templates/README.md). */
export interface TemplateDefinition {
  name: string;
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  /** The kind of message that is announced with it. */
  notice: MessageNotice['kind'];
  /** The notice's fields that fill {{1}}, {{2}}... in order. */
  parameters: string[];
  examples: string[];
  /** By our language code (en, fr, ...). */
  languages: Record<string, TemplateLanguage>;
}

/** The notices every deployment must have a template for. */
const NOTICES: MessageNotice['kind'][] = ['doctor_answer', 'case_update', 'message'];
const FIELDS: Record<MessageNotice['kind'], string[]> = {
  doctor_answer: ['doctor', 'caseCode'],
  case_update: ['caseCode'],
  message: [],
};

/** A template file that cannot be used; the service refuses to start with it. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Reads and checks every template of `dir`: one per notice, each with an English text, placeholders matching its parameters. */
export function loadTemplates(dir: string): Map<MessageNotice['kind'], TemplateDefinition> {
  if (!fs.existsSync(dir)) throw new TemplateError(`WHATSAPP_TEMPLATES_DIR ${dir} does not exist`);
  const templates = new Map<MessageNotice['kind'], TemplateDefinition>();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const where = path.join(dir, file);
    let t: TemplateDefinition;
    try {
      t = JSON.parse(fs.readFileSync(where, 'utf8')) as TemplateDefinition;
    } catch (err) {
      throw new TemplateError(`${where}: not JSON (${(err as Error).message})`);
    }
    checkTemplate(t, where);
    if (templates.has(t.notice)) throw new TemplateError(`${where}: a second template for notice ${t.notice}`);
    templates.set(t.notice, t);
  }
  const missing = NOTICES.filter((n) => !templates.has(n));
  if (missing.length) throw new TemplateError(`${dir}: no template for notice(s) ${missing.join(', ')}`);
  return templates;
}

function checkTemplate(t: TemplateDefinition, where: string): void {
  const problem = (what: string) => new TemplateError(`${where}: ${what}`);
  if (!/^[a-z0-9_]{1,512}$/.test(t.name ?? '')) throw problem('name must be lower case letters, digits and _');
  if (!NOTICES.includes(t.notice)) throw problem(`notice must be one of ${NOTICES.join(', ')}`);
  if (JSON.stringify(t.parameters) !== JSON.stringify(FIELDS[t.notice]))
    throw problem(`parameters of a ${t.notice} notice must be ${JSON.stringify(FIELDS[t.notice])}`);
  if ((t.examples ?? []).length !== t.parameters.length) throw problem('one example per parameter');
  if (!t.languages?.en) throw problem('an "en" text is required (the fallback)');
  for (const [lang, text] of Object.entries(t.languages)) {
    const placeholders = [...(text.body ?? '').matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
    const expected = t.parameters.map((_, i) => i + 1);
    if (JSON.stringify([...new Set(placeholders)].sort()) !== JSON.stringify(expected))
      throw problem(`${lang}: the body must use exactly ${expected.map((n) => `{{${n}}}`).join(', ') || 'no placeholder'}`);
    if (!text.code || !text.button || text.button.length > 25)
      throw problem(`${lang}: needs a code and a button text of at most 25 characters`);
    if (text.body.length > 1024) throw problem(`${lang}: the body is longer than 1024 characters`);
  }
}

/** The `template` object of a send: the patient's language (else English), the notice's values, our quick-reply payload. */
export function templateMessage(
  t: TemplateDefinition,
  notice: MessageNotice,
  language: string | undefined,
): Record<string, unknown> {
  const text = t.languages[language ?? 'en'] ?? t.languages.en;
  const fields = notice as Partial<Record<string, string>>;
  const values = t.parameters.map((field) => fields[field] ?? '-');
  return {
    name: t.name,
    language: { code: text.code },
    components: [
      ...(values.length ? [{ type: 'body', parameters: values.map((v) => ({ type: 'text', text: v })) }] : []),
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: OPEN_WINDOW_PAYLOAD }] },
    ],
  };
}

/** The body of `POST /{WABA-ID}/message_templates` that registers one language of a template. */
export function registrationBody(t: TemplateDefinition, lang: string): Record<string, unknown> {
  const text = t.languages[lang];
  return {
    name: t.name,
    language: text.code,
    category: t.category,
    components: [
      { type: 'BODY', text: text.body, ...(t.examples.length ? { example: { body_text: [t.examples] } } : {}) },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: text.button }] },
    ],
  };
}
