import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tf } from './backend';

/**
 * A tfjs IOHandler reading `model.json` and its weight shards from the local disk, so models load
 * without tfjs-node's file:// handler.
 */
export function fileHandler(modelJsonPath: string, opts: { float16?: boolean } = {}): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      const dir = path.dirname(modelJsonPath);
      return artifactsOf(json, (p) => fs.readFile(path.join(dir, p)));
    },
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const dir = path.dirname(modelJsonPath);
      await fs.mkdir(dir, { recursive: true });
      const weightsName = path.basename(modelJsonPath).replace(/\.json$/, '') + '.weights.bin';
      const data = artifacts.weightData;
      let bytes: Uint8Array = data === undefined ? new Uint8Array() : new Uint8Array(data as ArrayBuffer);
      let specs = artifacts.weightSpecs ?? [];
      if (opts.float16 && specs.every((s) => s.dtype === 'float32')) {
        // Halves the committed file; tfjs dequantises float16 weights on load.
        const halves = toFloat16(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
        bytes = new Uint8Array(halves.buffer);
        specs = specs.map((s) => ({ ...s, quantization: { dtype: 'float16', original_dtype: 'float32' } }));
      }
      await fs.writeFile(path.join(dir, weightsName), bytes);
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [weightsName], weights: specs }],
      };
      await fs.writeFile(modelJsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
    },
  };
}

/**
 * The layout in which `nsfwjs` ships its models: a CommonJS module whose `modelJson()` resolves to
 * `{ default: model.json }` and whose `weightBundles[i]()` resolve to `{ default: <base64 shard> }`,
 * shard i being `group1-shard<i+1>of<n>` in the manifest.
 */
export interface JsBundledModel {
  modelJson: () => Promise<{ default: tf.io.ModelJSON }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

/** A tfjs IOHandler reading a model bundled as JavaScript modules (see `JsBundledModel`). */
export function jsBundleHandler(bundle: JsBundledModel): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = (await bundle.modelJson()).default;
      const shards = await Promise.all(bundle.weightBundles.map(async (b) => Buffer.from((await b()).default, 'base64')));
      const byName = new Map(shards.map((buf, i) => [`group1-shard${i + 1}of${shards.length}`, buf]));
      return artifactsOf(json, (p) => {
        const buf = byName.get(p);
        if (!buf) throw new Error(`weight shard ${p} missing from the bundle`);
        return Promise.resolve(buf);
      });
    },
  };
}

/** Model artifacts from a model.json and its weight shards, read in manifest order by `shard`. */
async function artifactsOf(json: tf.io.ModelJSON, shard: (path: string) => Promise<Buffer>): Promise<tf.io.ModelArtifacts> {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(await shard(p));
  }
  const all = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
}

/** IEEE 754 half-precision bit patterns of float32 values (round to nearest). */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i];
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    if (exp <= 0) {
      out[i] = exp < -10 ? sign : sign | ((mant | 0x800000) >> (1 - exp + 13));
    } else if (exp >= 31) {
      out[i] = sign | 0x7c00;
    } else {
      out[i] = sign | (exp << 10) | ((mant + 0x1000) >> 13);
    }
  }
  return out;
}
