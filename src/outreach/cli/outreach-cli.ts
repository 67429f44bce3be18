import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { parseFlags } from '@/common/cli-args';
import { withCliContext } from '@/common/cli-context';
import type { AppConfig } from '@/config/app-config';
import { OutreachWorker } from '../outreach-worker.entity';
import { OutreachWorkersService } from '../outreach-workers.service';

@Module({ imports: [TypeOrmModule.forFeature([OutreachWorker])], providers: [OutreachWorkersService] })
class OutreachRegistryModule {}

const USAGE = `Usage:
  npm run outreach -- add --phone <international number> --name "<name>" [--org "<NGO>"] [--language sw]
  npm run outreach -- list
  npm run outreach -- remove --phone <international number>`;

/** The outreach workers' registry CLI, on the same configuration as the service. */
export async function runOutreachCli(argv: string[], config: AppConfig, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !['add', 'list', 'remove'].includes(command)) {
    print(USAGE);
    return command ? 2 : 0;
  }
  return withCliContext(config, [OutreachRegistryModule], async (app) => {
    const workers = app.get(OutreachWorkersService);
    try {
      const f = parseFlags(rest, USAGE);
      if (command === 'add') {
        if (!f.phone || !f.name) throw new Error(`add needs --phone and --name\n${USAGE}`);
        const w = await workers.add({ phone: f.phone, name: f.name, organisation: f.org, language: f.language });
        print(`Registered outreach worker ${w.name} (${w.chatId}${w.organisation ? `, ${w.organisation}` : ''}).`);
        return 0;
      }
      if (command === 'list') {
        const all = await workers.list();
        if (!all.length) print('No outreach workers registered.');
        for (const w of all) print(`${w.chatId}\t${w.name}${w.organisation ? `\t${w.organisation}` : ''}\t${w.language}`);
        return 0;
      }
      if (!f.phone) throw new Error(`remove needs --phone\n${USAGE}`);
      const removed = await workers.remove(f.phone);
      print(removed ? `Removed the outreach worker ${f.phone}.` : `No outreach worker has phone ${f.phone}.`);
      return removed ? 0 : 1;
    } catch (err) {
      print(`Error: ${(err as Error).message}`);
      return 1;
    }
  });
}
