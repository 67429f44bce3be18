import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from './backend';
import { fileHandler, JsBundledModel, jsBundleHandler } from './model-io';

/** A small seeded dense model and its saved artifacts. */
async function smallModel(): Promise<{ model: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 5,
      inputShape: [4],
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (!artifacts) throw new Error('not saved');
  return { model, artifacts };
}

/** The artifacts in nsfwjs's layout: model.json and its weights as base64 shards in JS modules. */
function bundleOf(artifacts: tf.io.ModelArtifacts, shards: number, dropShard?: number): JsBundledModel {
  const bytes = Buffer.from(artifacts.weightData as ArrayBuffer);
  const size = Math.ceil(bytes.length / shards);
  const names = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}`);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{ paths: names, weights: artifacts.weightSpecs ?? [] }],
  };
  return {
    modelJson: () => Promise.resolve({ default: json }),
    weightBundles: names
      .map((_, i) => () => Promise.resolve({ default: bytes.subarray(i * size, (i + 1) * size).toString('base64') }))
      .filter((_, i) => i !== dropShard),
  };
}

describe('model-io', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('should load a JavaScript-bundled model split over shards with the same weights', async () => {
    const { model, artifacts } = await smallModel();
    const loaded = await tf.loadLayersModel(jsBundleHandler(bundleOf(artifacts, 3)));
    const x = tf.tensor2d([[1, -2, 3, 0.5]]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });

  it('should refuse a bundle that lacks a shard its manifest names', async () => {
    const { artifacts } = await smallModel();
    // Two bundles for a three-shard manifest: they are read as shards 1 and 2 of 2.
    await expect(tf.loadLayersModel(jsBundleHandler(bundleOf(artifacts, 3, 2)))).rejects.toThrow(/group1-shard1of3 missing/);
  });

  it('should save float16 weights that load back within half precision', async () => {
    const { model } = await smallModel();
    const dir = mkdtempSync(path.join(tmpdir(), 'model-io-'));
    try {
      await model.save(fileHandler(path.join(dir, 'model.json'), { float16: true }));
      const loaded = await tf.loadLayersModel(fileHandler(path.join(dir, 'model.json')));
      const x = tf.tensor2d([[1, -2, 3, 0.5]]);
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (loaded.predict(x) as tf.Tensor).dataSync();
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
