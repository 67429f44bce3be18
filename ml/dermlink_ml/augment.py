"""Training augmentation on whole batches (torch ops, no per-image Python loops but JPEG).

Lesions have no up or down, so every rotation and mirror is fair. The rest simulates what a phone
does to a photo a dermatoscope would have taken cleanly: framing and zoom (skin around the spot),
colour and white balance, uneven light and vignetting, defocus and motion-free blur, sensor noise,
low resolution and JPEG compression.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


@dataclass(frozen=True)
class AugmentConfig:
    """Strengths and probabilities; `none()` turns everything off (for tests and validation)."""

    rotate: bool = True
    flip: bool = True
    zoom: tuple[float, float] = (0.85, 1.7)
    #: Phone framing: this share of the dermoscopic photos is zoomed out (the spot smaller, as a phone
    #: held at arm's length sees it), fading into skin of the photo's own border colour.
    p_zoom_out: float = 0.0
    zoom_out: tuple[float, float] = (0.4, 0.85)
    aspect: float = 0.1
    shift: float = 0.12
    brightness: float = 0.25
    contrast: float = 0.3
    saturation: float = 0.3
    hue: float = 0.06
    gamma: float = 0.3
    channel_gain: float = 0.1
    p_uneven_light: float = 0.5
    uneven_light: float = 0.35
    p_vignette: float = 0.3
    vignette: float = 0.45
    p_blur: float = 0.35
    blur_sigma: tuple[float, float] = (0.4, 1.8)
    p_downscale: float = 0.2
    downscale: tuple[float, float] = (0.35, 0.8)
    p_noise: float = 0.3
    noise: tuple[float, float] = (1.0, 8.0)
    p_jpeg: float = 0.35
    jpeg_quality: tuple[int, int] = (25, 90)

    @staticmethod
    def none() -> "AugmentConfig":
        return AugmentConfig(
            rotate=False, flip=False, zoom=(1.0, 1.0), aspect=0, shift=0, brightness=0, contrast=0, saturation=0, hue=0, gamma=0,
            channel_gain=0, p_uneven_light=0, p_vignette=0, p_blur=0, p_downscale=0, p_noise=0, p_jpeg=0,
        )


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 B x H x W x 3 -> float32 B x 3 x H x W in 0..255 (what the model graph takes, transposed)."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float()


class Augmenter:
    """Seeded batch augmentation: `__call__(uint8 batch) -> float32 B x 3 x S x S in 0..255`."""

    def __init__(self, cfg: AugmentConfig, seed: int) -> None:
        self.cfg = cfg
        self.gen = torch.Generator().manual_seed(seed)
        self.np_rng = np.random.default_rng(seed + 1)

    def state(self) -> dict:
        return {"torch": self.gen.get_state(), "numpy": self.np_rng.bit_generator.state}

    def load_state(self, state: dict) -> None:
        self.gen.set_state(state["torch"])
        self.np_rng.bit_generator.state = state["numpy"]

    def _u(self, n: int, lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, generator=self.gen)

    def _coin(self, n: int, p: float) -> torch.Tensor:
        return torch.rand(n, generator=self.gen) < p

    def __call__(self, images: np.ndarray, framable: Optional[np.ndarray] = None) -> torch.Tensor:
        """`framable` (bool per photo, default all) marks the photos phone framing may zoom out:
        the dermoscopic ones, whose spot fills the frame; phone photos are framed already."""
        x = to_tensor(images) / 255.0
        x = self.geometry(x, None if framable is None else torch.from_numpy(np.asarray(framable, dtype=bool)))
        x = self.colour(x)
        x = self.light(x)
        x = self.blur(x)
        x = self.noise(x)
        x = (x.clamp(0, 1) * 255.0).round()
        return self.jpeg(x)

    def geometry(self, x: torch.Tensor, framable: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Any rotation, mirror, zoom (log-uniform), a little squash and shift; reflected borders."""
        c = self.cfg
        n = x.shape[0]
        angle = self._u(n, 0, 2 * math.pi) * float(c.rotate)
        zoom = torch.exp(self._u(n, math.log(c.zoom[0]), math.log(c.zoom[1])))
        aspect = torch.exp(self._u(n, -c.aspect, c.aspect))
        flip = torch.where(self._coin(n, 0.5 if c.flip else 0.0), -1.0, 1.0)
        sx = flip * aspect / zoom
        sy = 1.0 / (aspect * zoom)
        framed = self._coin(n, c.p_zoom_out) if c.p_zoom_out > 0 else None
        if framed is not None:
            if framable is not None:
                framed = framed & framable
            far = torch.exp(self._u(n, math.log(c.zoom_out[0]), math.log(c.zoom_out[1])))
            zoom = torch.where(framed, far, zoom)
            sx = flip * aspect / zoom
            sy = 1.0 / (aspect * zoom)
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.zeros(n, 2, 3)
        theta[:, 0, 0] = cos * sx
        theta[:, 0, 1] = -sin * sy
        theta[:, 1, 0] = sin * sx
        theta[:, 1, 1] = cos * sy
        theta[:, 0, 2] = self._u(n, -c.shift, c.shift)
        theta[:, 1, 2] = self._u(n, -c.shift, c.shift)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
        if framed is None or not bool(framed.any()):
            return out
        # The photo's central disc, fading out towards its edges into skin (no mirror images, no
        # visible frame): 1 within 0.6 of the source radius, 0 beyond 0.95.
        radius = grid.pow(2).sum(dim=3).sqrt().unsqueeze(1)
        inside = ((0.95 - radius) / 0.35).clamp(0, 1)
        composed = out * inside + self.skin_fill(x) * (1 - inside)
        return torch.where(framed.view(n, 1, 1, 1), composed, out)

    def skin_fill(self, x: torch.Tensor) -> torch.Tensor:
        """Skin for the frame around a zoomed-out photo: the median colour of its border, with
        gentle low-frequency shading and fine grain."""
        n, _, h, w = x.shape
        band = max(2, h // 8)
        border = torch.cat([x[:, :, :band].flatten(2), x[:, :, -band:].flatten(2), x[:, :, :, :band].flatten(2), x[:, :, :, -band:].flatten(2)], dim=2)
        colour = border.median(dim=2).values.view(n, 3, 1, 1)
        shade = F.interpolate(torch.randn(n, 1, 5, 5, generator=self.gen), size=(h, w), mode="bicubic", align_corners=False)
        grain = F.avg_pool2d(torch.randn(n, 1, h, w, generator=self.gen), 3, stride=1, padding=1)
        return colour * (1 + 0.05 * shade) + 0.02 * grain

    def colour(self, x: torch.Tensor) -> torch.Tensor:
        """Brightness, contrast, saturation, hue (a rotation in YIQ), gamma and white balance."""
        c = self.cfg
        n = x.shape[0]
        shape = (n, 1, 1, 1)
        x = x * self._u(n, 1 - c.brightness, 1 + c.brightness).view(shape)
        grey = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
        mean = grey.mean(dim=(2, 3), keepdim=True)
        x = (x - mean) * self._u(n, 1 - c.contrast, 1 + c.contrast).view(shape) + mean
        grey = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
        x = grey + (x - grey) * self._u(n, 1 - c.saturation, 1 + c.saturation).view(shape)
        if c.hue > 0:
            x = _rotate_hue(x, self._u(n, -c.hue, c.hue) * 2 * math.pi)
        x = x.clamp(1e-6, 1) ** torch.exp(self._u(n, -c.gamma, c.gamma)).view(shape)
        gains = 1 + (torch.rand(n, 3, 1, 1, generator=self.gen) * 2 - 1) * c.channel_gain
        return x * gains

    def light(self, x: torch.Tensor) -> torch.Tensor:
        """Light falling from one side (a linear ramp) and a darker rim (vignette)."""
        c = self.cfg
        n, _, h, w = x.shape
        ys = torch.linspace(-1, 1, h).view(1, 1, h, 1)
        xs = torch.linspace(-1, 1, w).view(1, 1, 1, w)
        phi = self._u(n, 0, 2 * math.pi).view(n, 1, 1, 1)
        amp = (self._u(n, 0, c.uneven_light) * self._coin(n, c.p_uneven_light)).view(n, 1, 1, 1)
        ramp = 1 + amp * (torch.cos(phi) * xs + torch.sin(phi) * ys)
        v = (self._u(n, 0, c.vignette) * self._coin(n, c.p_vignette)).view(n, 1, 1, 1)
        rim = 1 - v * (xs**2 + ys**2) / 2
        return x * ramp * rim

    def blur(self, x: torch.Tensor) -> torch.Tensor:
        """Gaussian defocus (its own sigma per photo) and a lower-resolution camera (down, then up)."""
        c = self.cfg
        n, ch, h, w = x.shape
        blur = self._coin(n, c.p_blur)
        if bool(blur.any()):
            sigma = self._u(n, *c.blur_sigma)
            radius = int(math.ceil(3 * c.blur_sigma[1]))
            t = torch.arange(-radius, radius + 1, dtype=torch.float32)
            k = torch.exp(-(t.view(1, -1) ** 2) / (2 * sigma.view(-1, 1) ** 2))
            k = k / k.sum(dim=1, keepdim=True)
            identity = torch.zeros_like(k)
            identity[:, radius] = 1
            k = torch.where(blur.view(-1, 1), k, identity)
            k = k.repeat_interleave(ch, dim=0)
            flat = x.reshape(1, n * ch, h, w)
            flat = F.pad(flat, (radius, radius, radius, radius), mode="reflect")
            flat = F.conv2d(flat, k.view(n * ch, 1, 1, -1), groups=n * ch)
            flat = F.conv2d(flat, k.view(n * ch, 1, -1, 1), groups=n * ch)
            x = flat.view(n, ch, h, w)
        down = self._coin(n, c.p_downscale)
        if bool(down.any()):
            factor = float(self._u(1, *c.downscale))
            small = F.interpolate(x[down], scale_factor=factor, mode="bilinear", align_corners=False)
            x = x.clone()
            x[down] = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
        return x

    def noise(self, x: torch.Tensor) -> torch.Tensor:
        c = self.cfg
        n = x.shape[0]
        sd = (self._u(n, *c.noise) / 255.0 * self._coin(n, c.p_noise)).view(n, 1, 1, 1)
        return x + torch.randn(x.shape, generator=self.gen) * sd

    def jpeg(self, x: torch.Tensor) -> torch.Tensor:
        """Re-encodes some photos as JPEG at a random quality (PIL, libjpeg like the phones' encoders)."""
        c = self.cfg
        pick = self.np_rng.random(x.shape[0]) < c.p_jpeg
        if not pick.any():
            return x
        x = x.clone()
        for i in np.flatnonzero(pick):
            quality = int(self.np_rng.integers(c.jpeg_quality[0], c.jpeg_quality[1] + 1))
            arr = x[i].permute(1, 2, 0).to(torch.uint8).numpy()
            buf = io.BytesIO()
            Image.fromarray(arr).save(buf, format="JPEG", quality=quality)
            buf.seek(0)
            back = np.asarray(Image.open(buf).convert("RGB"))
            x[i] = torch.from_numpy(back.copy()).permute(2, 0, 1).float()
        return x


def _rotate_hue(x: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    """Rotates the chroma plane of YIQ by `angle` (radians, one per image)."""
    to_yiq = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
    to_rgb = torch.linalg.inv(to_yiq)
    n = x.shape[0]
    cos, sin = torch.cos(angle), torch.sin(angle)
    rot = torch.zeros(n, 3, 3)
    rot[:, 0, 0] = 1
    rot[:, 1, 1] = cos
    rot[:, 1, 2] = -sin
    rot[:, 2, 1] = sin
    rot[:, 2, 2] = cos
    m = to_rgb.unsqueeze(0) @ rot @ to_yiq.unsqueeze(0)
    return torch.einsum("nij,njhw->nihw", m, x)
