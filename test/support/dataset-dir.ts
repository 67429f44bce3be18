import { existsSync } from 'node:fs';
import * as path from 'node:path';

const SHARED_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');

/** HAM10000 folder for tests: $HAM10000_DIR, else ../shared/data/ham10000 beside the repository; undefined when absent. */
export function hamDir(): string | undefined {
  // Tests run outside the Nest app, so they take the dataset location straight from the environment.
  const dir = process.env.HAM10000_DIR ?? path.join(SHARED_DATA, 'ham10000');
  if (existsSync(path.join(dir, 'images'))) return dir;
  console.warn(`HAM10000 not found at ${dir} (set HAM10000_DIR): dataset tests are skipped`);
  return undefined;
}

/** The PAD-UFES-20 development phone photos beside the repository (../shared/data/pad-ufes-20-dev); undefined when absent. */
export function padDir(): string | undefined {
  const dir = path.join(SHARED_DATA, 'pad-ufes-20-dev');
  if (existsSync(path.join(dir, 'metadata.csv'))) return dir;
  console.warn(`PAD-UFES-20 development photos not found at ${dir}: phone-photo tests are skipped`);
  return undefined;
}

/** The repository's models/ folder. */
export const MODEL_DIR = path.resolve(__dirname, '..', '..', 'models');
