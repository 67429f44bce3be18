import numpy as np
import torch

from dermlink_ml.augment import AugmentConfig, Augmenter, to_tensor

from .conftest import blob


def batch() -> np.ndarray:
    return np.stack([blob(i % 7, i) for i in range(12)])


def test_no_augmentation_is_the_identity() -> None:
    x = batch()
    out = Augmenter(AugmentConfig.none(), seed=1)(x)
    assert torch.allclose(out, to_tensor(x), atol=0.5)


def test_augmentation_stays_in_range_and_changes_the_photos() -> None:
    x = batch()
    out = Augmenter(AugmentConfig(), seed=1)(x)
    assert out.shape == (12, 3, 32, 32)
    assert out.min() >= 0 and out.max() <= 255
    assert (out - to_tensor(x)).abs().mean() > 5


def test_augmentation_is_seeded_and_resumable() -> None:
    x = batch()
    a = Augmenter(AugmentConfig(), seed=7)
    b = Augmenter(AugmentConfig(), seed=7)
    assert torch.equal(a(x), b(x))
    state = a.state()
    first = a(x)
    a.load_state(state)
    assert torch.equal(a(x), first)
    assert not torch.equal(Augmenter(AugmentConfig(), seed=8)(x), b(x))


def test_phone_framing_zooms_out_only_the_framable_photos() -> None:
    x = np.stack([blob(4, i, size=64) for i in range(6)])
    framable = np.array([True, True, True, False, False, False])
    cfg = AugmentConfig(p_zoom_out=1.0, zoom_out=(0.5, 0.5), rotate=False, flip=False, zoom=(1.0, 1.0), aspect=0, shift=0,
                        brightness=0, contrast=0, saturation=0, hue=0, gamma=0, channel_gain=0, p_uneven_light=0, p_vignette=0,
                        p_blur=0, p_downscale=0, p_noise=0, p_jpeg=0)
    out = Augmenter(cfg, seed=1)(x, framable)
    dark = (out.mean(dim=1) < 100).float().mean(dim=(1, 2))
    # The spot covers a quarter of its former area once zoomed out to half; the others keep theirs.
    assert torch.all(dark[:3] < 0.5 * dark[3:].min())
    assert torch.allclose(out[3:], to_tensor(x[3:]), atol=0.5)
