import { ConfigError, loadConfig } from '@/config/app-config';
import { runOutreachCli } from '@/outreach/cli/outreach-cli';

/** `npm run outreach -- add|list|remove ...`: manage NGO outreach workers (WhatsApp phones). */
async function main(): Promise<void> {
  try {
    process.exit(await runOutreachCli(process.argv.slice(2), loadConfig(), (line) => console.log(line)));
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : (err as Error).stack);
    process.exit(2);
  }
}

void main();
