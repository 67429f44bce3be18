/**
 * `npm run experiment:finetune-cost -- [--batch 32] [--steps 3]`: what fine-tuning the top of the
 * ResNet50 backbone on cached activations would cost here, measured rather than guessed. The wasm
 * backend has no convolution gradients, so the last bottleneck block (res5c: 1x1 2048->512, 3x3
 * 512->512, 1x1 512->2048, residual, 7x7 maps) is written as matrix products (the 3x3 as nine
 * shifted 1x1s), which the wasm backend can differentiate. Times one Adam step (forward, backward,
 * update) on a batch of the block's real input shape, for the whole block and for its last 1x1
 * convolution alone, and projects an epoch over the 3536 training images. Random values: the cost
 * of these kernels does not depend on them.
 */
import { initBackend, tf } from '@/inference/backend';
import { flag, parseArgs } from './lib/cli';
import { Progress } from './lib/progress';

const TRAIN_IMAGES = 3536;

type Step = () => tf.Scalar;

function block(batch: number, x: tf.Tensor4D, whole: boolean): { step: Step; params: number } {
  const rows = batch * 49;
  const w1 = tf.variable(tf.randomNormal([2048, 512], 0, 0.02));
  const w2 = tf.variable(tf.randomNormal([9, 512, 512], 0, 0.02));
  const w3 = tf.variable(tf.randomNormal([512, 2048], 0, 0.02));
  const h2Fixed = tf.relu<tf.Tensor2D>(tf.randomNormal([rows, 512]));
  const optimizer = tf.train.adam(1e-4);
  const vars = whole ? [w1, w2, w3] : [w3];
  const loss = () => {
    let h2 = h2Fixed;
    if (whole) {
      const h1 = tf.relu(tf.matMul(x.reshape([rows, 2048]), w1)).reshape([batch, 7, 7, 512]);
      const padded = tf.pad(h1, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      let sum: tf.Tensor2D | undefined;
      for (let k = 0; k < 9; k++) {
        const shifted = tf.slice(padded, [0, Math.floor(k / 3), k % 3, 0], [batch, 7, 7, 512]).reshape<tf.Tensor2D>([rows, 512]);
        const part = tf.matMul<tf.Tensor2D>(shifted, tf.squeeze<tf.Tensor2D>(tf.slice(w2, [k, 0, 0], [1, 512, 512]), [0]));
        sum = sum ? sum.add<tf.Tensor2D>(part) : part;
      }
      h2 = tf.relu<tf.Tensor2D>(sum!);
    }
    const out = tf.relu(tf.add(tf.matMul(h2, w3).reshape([batch, 7, 7, 2048]), x));
    return tf.mean<tf.Scalar>(tf.square(tf.mean(out, [1, 2])));
  };
  const params = vars.reduce((s, v) => s + v.size, 0);
  return { step: () => optimizer.minimize(loss, true, vars)!, params };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), []);
  const batch = Number(flag(args, 'batch', '32'));
  const steps = Number(flag(args, 'steps', '3'));
  const backend = await initBackend();
  const x = tf.relu<tf.Tensor4D>(tf.randomNormal([batch, 7, 7, 2048]));
  const rows: string[] = [];
  for (const [name, whole] of [
    ['last 1x1 convolution (res5c_branch2c)', false],
    ['whole last block (res5c)', true],
  ] as const) {
    const { step, params } = block(batch, x, whole);
    step().dispose(); // warm-up: kernel set-up and allocation
    const progress = new Progress(name, steps);
    const started = Date.now();
    for (let i = 0; i < steps; i++) {
      const l = step();
      await l.data();
      l.dispose();
      progress.update(i + 1);
    }
    const msPerStep = (Date.now() - started) / steps;
    const epochMin = ((TRAIN_IMAGES / batch) * msPerStep) / 60_000;
    rows.push(`| ${name} | ${(params / 1e6).toFixed(2)} M | ${(msPerStep / 1000).toFixed(1)} s | ${epochMin.toFixed(0)} min |`);
  }
  console.log(`backend ${backend}, batch ${batch}, ${steps} timed steps each\n`);
  console.log('| trained part | parameters | one Adam step | one epoch (3536 images) |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
