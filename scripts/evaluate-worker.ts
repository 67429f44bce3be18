/**
 * Child process of `npm run evaluate -- --workers N`: classifies the images of a list file with the
 * real SkinClassifier and writes their outcomes to `<listFile>.out.json`.
 * argv: <listFile> <imagesDir> <modelDir> <minShortSide>. Sends {done} messages to the parent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SkinClassifier } from '@/inference/classifier';
import { classifyImages } from './lib/evaluate-images';

async function main(): Promise<void> {
  const [listFile, imagesDir, modelDir, minSide] = process.argv.slice(2);
  const ids = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const classifier = await SkinClassifier.load({ modelDir, minShortSide: Number(minSide) });
  const outcomes = await classifyImages(classifier, ids, imagesDir, (done) => process.send?.({ done }));
  await classifier.dispose();
  writeFileSync(`${listFile}.out.json`, JSON.stringify({ backend: classifier.backend, outcomes }));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
