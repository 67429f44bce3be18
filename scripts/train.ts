/**
 * `npm run train -- [--recipe v4] [--python /usr/bin/python3] [--ham DIR] [--pad DIR] [--work .cache/train]
 *   [--parallel 2] [--version 2.1.0] [--no-install]` (the default recipe and its version: `ml/dermlink_ml/recipe.py`)
 *
 * The whole classifier recipe, resumable at every step:
 * 1. checks that the Python interpreter has PyTorch and friends (Debian's packages), or names the apt command;
 * 2. prepares HAM10000 and the PAD-UFES-20 development photos with the service's own preprocessing
 *    (sharp, `src/inference/preprocess.ts`) into `.cache/prepared/`, so training sees what serving sees;
 * 3. fine-tunes the ensemble members (`ml/`, one process per member, `--parallel` at once, one thread
 *    each: faster here than one process on two threads), with a checkpoint every epoch;
 * 4. calibrates, fits the gates and exports the ONNX model (`python3 -m dermlink_ml finish`);
 * 5. loads the export in the real SkinClassifier, checks it against PyTorch's outputs
 *    (`parity.json`) and copies model.onnx, metadata.json and parity.json into models/.
 * The test split is not read: `npm run evaluate` does that, once, for the model card.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { flag, parseArgs } from './lib/cli';
import { checkParity } from '../test/support/parity';
import { collect, DEFAULT_NONSKIN_DIRS } from './lib/gates-eval';
import { prepareFiles, prepareImages } from './lib/prepared-cache';
import { checkPython, pythonEnv, runPython } from './lib/python';

/**
 * Negatives of the lesion-photo detector: pictures from Debian packages that the gate measurement
 * (`DEFAULT_NONSKIN_DIRS`, `npm run evaluate -- --gates`) never reads. Install them with
 * `apt-get install -y tuxpaint-stamps-default extremetuxracer-data neverball-data marble-data gcompris-qt-data`;
 * a missing source is skipped with a warning (the detector then has fewer negatives). From
 * GCompris: the animal photos of one activity and the objects, fishes and machines of another
 * (without its monuments, which another activity of the measurement shows too).
 */
const NEGATIVE_SOURCES: { path: string; skip?: RegExp }[] = [
  { path: '/usr/share/tuxpaint/stamps' },
  { path: '/usr/share/games/etr' },
  { path: '/usr/share/games/neverball' },
  { path: '/usr/share/doc/HTML/en/marble' },
  { path: '/usr/share/gcompris-qt/rcc/erase.rcc' },
  { path: '/usr/share/gcompris-qt/rcc/categorization.rcc', skip: /monuments/ },
];

async function main(): Promise<void> {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2), ['no-install']);
  const python = flag(args, 'python', '/usr/bin/python3') ?? '/usr/bin/python3';
  const ham = flag(args, 'ham', path.join('..', 'shared', 'data', 'ham10000')) ?? '';
  const pad = flag(args, 'pad', path.join('..', 'shared', 'data', 'pad-ufes-20-dev')) ?? '';
  const work = flag(args, 'work', path.join('.cache', 'train')) ?? '';
  const cache = path.join('.cache', 'prepared');
  const parallel = Number(flag(args, 'parallel', '2'));
  const version = flag(args, 'version');
  for (const dir of [ham, pad]) if (!existsSync(path.join(dir, 'images'))) throw new Error(`no images/ in ${dir}`);
  console.error(`train: ${python}, PyTorch ${checkPython(python)}`);
  const asked = flag(args, 'recipe');
  const recipe = spawnSync(python, ['-m', 'dermlink_ml', 'recipe', ...(asked ? ['--recipe', asked] : [])], {
    encoding: 'utf8',
    env: pythonEnv(),
  });
  if (recipe.status !== 0) throw new Error(`dermlink_ml recipe failed: ${recipe.stderr}`);
  const {
    size,
    members,
    recipe: chosen,
  } = JSON.parse(recipe.stdout) as { size: number; members: number; recipe: { name: string } };
  const recipeName = chosen.name;
  const out = path.join(work, recipeName, 'model');
  const common = ['--recipe', recipeName, '--ham', ham, '--pad', pad, '--cache', cache, '--work', work];
  await prepareImages('pad-ufes-20-dev', path.join(pad, 'images'), size, cache);
  await prepareImages('ham10000', path.join(ham, 'images'), size, cache);
  const negatives = NEGATIVE_SOURCES.filter((d) => {
    if (existsSync(d.path)) return true;
    console.error(
      `train: ${d.path} not found: the lesion-photo detector trains without it (see NEGATIVE_SOURCES in scripts/train.ts)`,
    );
    return false;
  }).flatMap((d) => collect(d.path).filter((f) => !d.skip?.test(f)));
  // A source inside a measurement folder or bundle, or holding one, would fit the gate on what measures it.
  const overlaps = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
  if (NEGATIVE_SOURCES.some((n) => DEFAULT_NONSKIN_DIRS.some((m) => overlaps(n.path, m))))
    throw new Error('a negative source overlaps a gate measurement folder');
  await prepareFiles('negatives', negatives, negatives, size, cache, 64);

  const queue = Array.from({ length: members }, (_, k) => k);
  const lanes = Array.from({ length: Math.max(1, Math.min(parallel, members)) }, async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      await runPython(python, [
        '-m',
        'dermlink_ml',
        'members',
        ...common,
        '--member',
        String(k),
        '--threads',
        parallel > 1 ? '1' : '2',
      ]);
    }
  });
  await Promise.all(lanes);
  await runPython(python, [
    '-m',
    'dermlink_ml',
    'finish',
    ...common,
    '--out',
    out,
    ...(version ? ['--version', version] : []),
    '--threads',
    '2',
  ]);

  const report = await checkParity(out, { ham10000: ham, 'pad-ufes-20-dev': pad });
  console.error(
    `train: ONNX Runtime matches PyTorch on ${report.rows} inputs (largest difference ${report.maxDiff.toExponential(2)})`,
  );
  if (!args.bools.has('no-install')) {
    mkdirSync('models', { recursive: true });
    for (const f of ['model.onnx', 'metadata.json', 'parity.json']) copyFileSync(path.join(out, f), path.join('models', f));
    console.error('train: models/ now holds the new model; measure it with npm run evaluate before committing it');
  }
  const meta = JSON.parse(readFileSync(path.join(out, 'metadata.json'), 'utf8')) as { training: { train_minutes: number[] } };
  console.error(
    `train: done in ${((Date.now() - started) / 60_000).toFixed(1)} min (members: ${meta.training.train_minutes.join(' + ')} min of training)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
