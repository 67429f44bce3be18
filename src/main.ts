import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { loadTemplates, TemplateError } from './bots/whatsapp/cloud/templates';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    // The WhatsApp templates are setup too: a file that cannot be used is said in one line, like a bad variable.
    if (config.whatsappCloud) loadTemplates(config.whatsappCloud.templatesDir);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof TemplateError) {
      console.error(err instanceof TemplateError ? `Invalid WhatsApp templates: ${err.message}` : err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  new Logger('Main').log(
    `DermLink listening on http://${config.http.host}:${config.http.port} (try it at /, API docs at /api/docs)`,
  );
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
