import { ConfigError, loadConfig } from '@/config/app-config';
import { runDoctorCli } from '@/doctors/cli/doctor-cli';

/** `npm run doctor -- add|list|remove ...`: manage the doctors allowed to act on cases. */
async function main(): Promise<void> {
  try {
    const code = await runDoctorCli(process.argv.slice(2), loadConfig(), (line) => console.log(line));
    process.exit(code);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : (err as Error).stack);
    process.exit(2);
  }
}

void main();
