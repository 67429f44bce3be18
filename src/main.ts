import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
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
  // A WhatsApp template file that cannot be used is a setup mistake, said in one line like a bad variable.
  if (err.name === 'TemplateError') {
    console.error(`Invalid WhatsApp templates: ${err.message}`);
    process.exit(2);
  }
  console.error(err.stack ?? err.message);
  process.exit(1);
});
