/**
 * `npm run test:ml -- [--python /usr/bin/python3] [pytest args]`: the training package's tests
 * (`ml/tests`, tiny synthetic data, no dataset needed), with Debian's PyTorch.
 */
import { checkPython, ML_DIR, runPython } from './lib/python';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--python');
  const python = at >= 0 ? argv.splice(at, 2)[1] : '/usr/bin/python3';
  console.error(
    `test:ml: ${python}, PyTorch ${checkPython(python, ['torch', 'torchvision', 'onnx', 'numpy', 'PIL', 'tqdm', 'pytest'])}`,
  );
  await runPython(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `${ML_DIR}/tests`, ...argv]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
