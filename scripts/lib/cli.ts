/** Tiny argv helpers for the CLIs (repeatable flags, booleans, positionals). */
export interface ParsedArgs {
  flags: Map<string, string[]>;
  bools: Set<string>;
  positional: string[];
}

export function parseArgs(argv: string[], booleanFlags: string[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const bools = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (booleanFlags.includes(name)) {
        bools.add(name);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      positional.push(a);
    }
  }
  return { flags, bools, positional };
}

export function flag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : fallback;
}

/** Model folder: --model, else models/ of the repository. */
export function modelDir(args: ParsedArgs): string {
  return flag(args, 'model', 'models') ?? 'models';
}
