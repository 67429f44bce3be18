import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@/config/app-config';
import { I18nService } from '@/i18n/i18n.service';
import { loadTemplates, registrationBody, TemplateError, templateMessage } from './templates';

const SHIPPED = path.resolve(__dirname, '../../../../whatsapp-templates');

describe('WhatsApp templates', () => {
  it('should ship a template for every notice, in every patient language', () => {
    const templates = loadTemplates(SHIPPED);
    const languages = new I18nService(loadConfig({})).languages().map((l) => l.code);
    for (const kind of ['doctor_answer', 'case_update', 'message'] as const)
      expect(Object.keys(templates.get(kind)!.languages).sort()).toEqual([...languages].sort());
  });

  it("should fill a template with the notice's values in the patient's language, English when it has none", () => {
    const reply = loadTemplates(SHIPPED).get('doctor_answer')!;
    expect(templateMessage(reply, { kind: 'doctor_answer', doctor: 'Amina Okafor', caseCode: 'C-1234' }, 'pt')).toEqual({
      name: 'dermlink_doctor_reply',
      language: { code: 'pt_BR' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Amina Okafor' },
            { type: 'text', text: 'C-1234' },
          ],
        },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'dermlink:open' }] },
      ],
    });
    expect(templateMessage(reply, { kind: 'doctor_answer', doctor: 'A', caseCode: 'C' }, 'zz')).toMatchObject({
      language: { code: 'en' },
    });
    expect(registrationBody(reply, 'fr')).toMatchObject({
      name: 'dermlink_doctor_reply',
      language: 'fr',
      category: 'UTILITY',
      components: [{ type: 'BODY', example: { body_text: [['Amina Okafor', 'C-7KQ2MX']] } }, { type: 'BUTTONS' }],
    });
  });

  it('should refuse a directory with a template whose placeholders do not match its parameters, or a notice without one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-templates-'));
    for (const file of fs.readdirSync(SHIPPED).filter((f) => f.endsWith('.json')))
      fs.copyFileSync(path.join(SHIPPED, file), path.join(dir, file));
    expect(() => loadTemplates(dir)).not.toThrow();
    const file = path.join(dir, 'dermlink_case_update.json');
    const broken = JSON.parse(fs.readFileSync(file, 'utf8')) as { languages: Record<string, { body: string }> };
    broken.languages.fr.body = 'Nouvelles de votre dossier.';
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadTemplates(dir)).toThrow(/fr: the body must use exactly \{\{1\}\}/);
    fs.rmSync(file);
    expect(() => loadTemplates(dir)).toThrow(TemplateError);
    expect(() => loadTemplates(dir)).toThrow(/no template for notice\(s\) case_update/);
  });
});
