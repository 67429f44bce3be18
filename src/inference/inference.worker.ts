/**
 * A child process of the inference pool: loads the classifier once, then answers
 * `{ id, image }` (base64) with `{ id, result }` or `{ id, error }` over IPC.
 */
import { SkinClassifier, ClassifierOptions } from './classifier';

interface Request {
  id: number;
  image: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ClassifierOptions;
  const classifier = await SkinClassifier.load(options);
  process.on('message', (req: Request) => {
    classifier
      .diagnose(Buffer.from(req.image, 'base64'))
      .then((result) => process.send?.({ id: req.id, result }))
      .catch((err: Error) => process.send?.({ id: req.id, error: err.message }));
  });
  process.send?.({ ready: true, backend: classifier.backend, model: classifier.model });
}

main().catch((err: Error) => {
  process.send?.({ fatal: err.message });
  process.exit(1);
});
