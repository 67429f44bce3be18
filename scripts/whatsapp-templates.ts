import * as path from 'node:path';
import { loadTemplates, registrationBody, TemplateError } from '@/bots/whatsapp/cloud/templates';

/**
 * `npm run whatsapp:templates [-- --json] [-- --dir <folder>]`: prints the WhatsApp message templates
 * (WHATSAPP_TEMPLATES_DIR, else ./whatsapp-templates) for registration in Meta's WhatsApp Manager, one
 * block per template and language; with --json, as the bodies of POST /{WABA-ID}/message_templates.
 */
function main(): void {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--dir');
  const dir = path.resolve(dirAt >= 0 ? args[dirAt + 1] : (process.env.WHATSAPP_TEMPLATES_DIR ?? 'whatsapp-templates'));
  const templates = [...loadTemplates(dir).values()];
  if (args.includes('--json')) {
    const bodies = templates.flatMap((t) => Object.keys(t.languages).map((lang) => registrationBody(t, lang)));
    console.log(JSON.stringify(bodies, null, 2));
    return;
  }
  console.log(`WhatsApp message templates from ${dir}: register each in WhatsApp Manager > Message templates.\n`);
  for (const t of templates) {
    console.log(`== ${t.name} (category ${t.category}; sent before: ${t.notice.replace('_', ' ')})`);
    console.log(
      `   variables: ${t.parameters.map((p, i) => `{{${i + 1}}} = ${p} (e.g. ${t.examples[i]})`).join(', ') || 'none'}`,
    );
    for (const [lang, text] of Object.entries(t.languages)) {
      console.log(`\n   -- language ${text.code} (patients choosing ${lang})`);
      console.log(`   body:   ${text.body}`);
      console.log(`   button: quick reply "${text.button}"`);
    }
    console.log('');
  }
}

try {
  main();
} catch (err) {
  console.error(err instanceof TemplateError ? err.message : (err as Error).stack);
  process.exit(2);
}
