import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ClassifyPayload } from '@/jobs/job.types';
import { PhotoKeyError, sealPhoto } from '@/photos/photo-cipher';
import classify, { disposeClassifier } from './classify.processor';
import { hamDir, MODEL_DIR } from '../../test/support/dataset-dir';
import * as S from '../../test/support/synthetic';

/** The Classify job's processor as bull's sandbox and the in-process pool call it: `{ data }` in, a result out. */
describe('classify processor', () => {
  const key = randomBytes(32);
  let photo: Buffer;
  const payload = (image: Buffer, sealed: boolean): { data: ClassifyPayload } => ({
    data: { image: image.toString('base64'), sealed, modelDir: MODEL_DIR, minShortSide: 150, threads: 1 },
  });

  beforeAll(async () => {
    // A real lesion photo reaches the model; without the dataset a synthetic one at least meets the gates.
    const ham = hamDir();
    photo = ham ? readFileSync(path.join(ham, 'images', 'ISIC_0024306.jpg')) : await S.lesionLike(2);
  });

  afterEach(() => {
    delete process.env.PHOTO_ENCRYPTION_KEY;
  });

  afterAll(() => disposeClassifier());

  it('should open a photo sealed for Redis with PHOTO_ENCRYPTION_KEY and give the same result as the plain photo', async () => {
    const plain = await classify(payload(photo, false));
    process.env.PHOTO_ENCRYPTION_KEY = key.toString('hex');
    const sealed = await classify(payload(sealPhoto(photo, key), true));
    expect(sealed).toEqual(plain);
    if (hamDir()) expect(plain.top).toHaveLength(7); // the real lesion photo passed the gates and was classified
  }, 120_000);

  it('should refuse a sealed photo when the worker has no key, or another key', async () => {
    const sealed = payload(sealPhoto(photo, key), true);
    await expect(classify(sealed)).rejects.toThrow(PhotoKeyError);
    process.env.PHOTO_ENCRYPTION_KEY = randomBytes(32).toString('hex');
    await expect(classify(sealed)).rejects.toThrow(PhotoKeyError);
  }, 120_000);
});
