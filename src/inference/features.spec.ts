import { backbonesFor, blockLayout, FEATURE_BLOCKS, FEATURE_DIM, selectBlocks } from './features';

describe('feature layout', () => {
  it('should lay the pooled layers end to end, a backbone left out leaving no gap', () => {
    const mnv2Only = blockLayout(['mnv2skin']);
    expect(mnv2Only.map((b) => [b.name, b.offset])).toEqual([
      ['mnv2skin/Conv_1_bn', 0],
      ['mnv2skin/out_relu', 1280],
    ]);
    const full = FEATURE_BLOCKS;
    full.slice(1).forEach((b, i) => expect(b.offset).toBe(full[i].offset + full[i].dim));
    expect(FEATURE_DIM).toBe(full[full.length - 1].offset + full[full.length - 1].dim);
  });

  it('should name only the backbones the blocks come from, in extraction order', () => {
    expect(backbonesFor(['mnv2skin/out_relu', 'resnet50/activation_48'])).toEqual(['resnet50', 'mnv2skin']);
    expect(backbonesFor(['mnv2skin/out_relu'])).toEqual(['mnv2skin']);
  });

  it('should pick blocks by name from a vector laid out as given', () => {
    const layout = blockLayout(['mnv2skin']);
    const v = Float32Array.from({ length: 2560 }, (_, i) => i);
    const picked = selectBlocks(v, ['mnv2skin/out_relu'], layout);
    expect(picked[0]).toBe(1280);
    expect(picked).toHaveLength(1280);
    expect(() => selectBlocks(v, ['resnet50/activation_48'], layout)).toThrow(/unknown feature block/);
  });
});
