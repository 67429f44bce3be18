import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** Debian's packages the training code needs (they belong to /usr/bin/python3). */
export const APT_PACKAGES =
  'python3-torch python3-torchvision python3-onnx python3-numpy python3-pil python3-tqdm python3-pytest';
export const ML_DIR = path.resolve(__dirname, '..', '..', 'ml');

/** The environment of the training processes: the package on the path, no busy-waiting OpenMP threads. */
export function pythonEnv(): NodeJS.ProcessEnv {
  // OpenMP threads that spin while waiting slow PyTorch badly when two processes share the cores.
  return { ...process.env, PYTHONPATH: ML_DIR, OMP_WAIT_POLICY: 'PASSIVE', PYTHONUNBUFFERED: '1' };
}

/**
 * Checks that `python` can import `modules`; otherwise throws with the apt command that installs
 * them. Returns PyTorch's version.
 */
export function checkPython(python: string, modules = ['torch', 'torchvision', 'onnx', 'numpy', 'PIL', 'tqdm']): string {
  const probe = spawnSync(python, ['-c', `import ${modules.join(', ')}; print(torch.__version__)`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const why = probe.error ? probe.error.message : (probe.stderr || '').trim().split('\n').pop();
    throw new Error(
      `${python} cannot run the training code (${why}).\nInstall Debian's packages: apt-get install -y ${APT_PACKAGES}\n(or name another interpreter with --python)`,
    );
  }
  return probe.stdout.trim();
}

/** Runs `python -m <args>` with {@link pythonEnv}, output passed through. */
export function runPython(python: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: 'inherit', env: pythonEnv() });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${python} ${args.join(' ')} exited ${code}`))));
  });
}
