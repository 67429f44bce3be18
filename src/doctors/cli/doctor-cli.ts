import { parseFlags } from '@/common/cli-args';
import { withCliContext } from '@/common/cli-context';
import type { AppConfig } from '@/config/app-config';
import { DoctorsModule } from '../doctors.module';
import { DoctorsService } from '../doctors.service';

const USAGE = `Usage:
  npm run doctor -- add --telegram-id <id> --name "<name>" [--license <number>]
  npm run doctor -- list
  npm run doctor -- remove --telegram-id <id>`;

/**
 * The doctors' registry CLI, on the same configuration (DATABASE_URL / DATA_DIR) as the service.
 * Returns the process exit code; writes human-readable output through `print`.
 */
export async function runDoctorCli(argv: string[], config: AppConfig, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !['add', 'list', 'remove'].includes(command)) {
    print(USAGE);
    return command ? 2 : 0;
  }
  return withCliContext(config, [DoctorsModule], async (app) => {
    const doctors = app.get(DoctorsService);
    try {
      const f = parseFlags(rest, USAGE);
      if (command === 'add') {
        if (!f['telegram-id'] || !f.name) throw new Error(`add needs --telegram-id and --name\n${USAGE}`);
        const d = await doctors.add({ telegramId: f['telegram-id'], name: f.name, license: f.license });
        print(`Registered Dr ${d.name} (Telegram id ${d.telegramId}${d.license ? `, licence ${d.license}` : ''}).`);
        return 0;
      }
      if (command === 'list') {
        const all = await doctors.list();
        if (!all.length) print('No doctors registered.');
        for (const d of all) print(`${d.telegramId}\t${d.name}${d.license ? `\t${d.license}` : ''}`);
        return 0;
      }
      if (!f['telegram-id']) throw new Error(`remove needs --telegram-id\n${USAGE}`);
      const removed = await doctors.remove(f['telegram-id']);
      print(
        removed ? `Removed the doctor with Telegram id ${f['telegram-id']}.` : `No doctor has Telegram id ${f['telegram-id']}.`,
      );
      return removed ? 0 : 1;
    } catch (err) {
      print(`Error: ${(err as Error).message}`);
      return 1;
    }
  });
}
