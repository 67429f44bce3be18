/** Parses `--flag value` and `--flag=value` pairs of a CLI; throws with `usage` on anything else. */
export function parseFlags(args: string[], usage: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new Error(`Unexpected argument: ${args[i]}\n${usage}`);
    out[m[1]] = m[2] ?? args[++i] ?? '';
  }
  return out;
}
