/** `npm run diagnose -- [--json] [--model DIR] [--min-side N] [--threads N] <image>...`: one card (or JSON line) per image. */
import { readFileSync } from 'node:fs';
import { SkinClassifier } from '@/inference/classifier';
import { InferenceResult } from '@/inference/inference.types';
import { flag, modelDir, parseArgs } from './lib/cli';

function card(file: string, r: InferenceResult): string {
  const lines = [`${file}`, `  verdict: ${r.verdict}${r.reasons.length ? ` (${r.reasons.join(', ')})` : ''}`];
  if (r.verdict === 'ok') {
    lines.push(`  risk: ${r.risk}${r.uncertain ? ' (uncertain: the model is unsure)' : ''}`);
    for (const t of r.top) {
      const bar = '#'.repeat(Math.round(t.probability * 30));
      lines.push(`  ${(100 * t.probability).toFixed(1).padStart(5)} %  ${t.label.padEnd(6)}${bar.padEnd(31)}${t.name}`);
    }
  }
  lines.push(`  model: ${r.model.name}@${r.model.version}. A guide, not a diagnosis: see a doctor.`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json']);
  if (!args.positional.length) throw new Error('usage: diagnose [--json] <image>...');
  const classifier = await SkinClassifier.load({
    modelDir: modelDir(args),
    minShortSide: Number(flag(args, 'min-side', '200')),
    threads: Number(flag(args, 'threads', '1')),
  });
  console.error(`diagnose: ${classifier.model.name}@${classifier.model.version} on ${classifier.backend}`);
  for (const file of args.positional) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      console.error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
      continue;
    }
    const r = await classifier.diagnose(bytes);
    process.stdout.write(args.bools.has('json') ? JSON.stringify(r) + '\n' : card(file, r) + '\n\n');
  }
  await classifier.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
