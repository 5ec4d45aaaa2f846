"""Creative attributes and what they do to unique link CTR and click-to-conversion.

A creative is a piece of media (an image or a video, whose pixels carry the *visual*
attributes) plus copy (title, body, call to action: the *copy* attributes). Several
creatives may share one media file. The effects below are on the logit scale and are
scaled on a fixed reference sample so that, whatever the world's size, the creative
effect on logit(ctr_u) has standard deviation :data:`CREATIVE_CTR_SD` and the one on
logit(c2s) :data:`CREATIVE_C2S_SD`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

PALETTES: tuple[str, ...] = ("warm", "cool", "neutral", "vivid")
PALETTE_P = np.array([0.30, 0.25, 0.25, 0.20])
CTA_TYPES: tuple[str, ...] = (
    "SHOP_NOW",
    "LEARN_MORE",
    "SIGN_UP",
    "SUBSCRIBE",
    "GET_OFFER",
    "ORDER_NOW",
)
MAX_TEXT_LINES = 4
MAX_CUTS = 4

CREATIVE_CTR_SD = 0.45
CREATIVE_C2S_SD = 0.30

_PALETTE_CTR = np.array([0.10, -0.05, -0.25, 0.25])
_TEXT_CTR = np.array([0.0, 0.15, 0.05, -0.20, -0.45])
_CUTS_CTR = np.array([0.0, 0.15, 0.22, 0.05, -0.20])
_CTA_CTR = np.array([0.0, 0.06, -0.04, -0.08, 0.10, -0.02])

_PALETTE_C2S = np.array([0.0, 0.0, 0.05, -0.08])
_TEXT_C2S = np.array([0.0, 0.10, 0.15, 0.05, -0.10])
_CTA_C2S = np.array([0.10, -0.10, 0.05, 0.0, 0.15, 0.12])


@dataclass(frozen=True)
class MediaAttributes:
    """Visual attributes of each media file (arrays of one length)."""

    is_video: np.ndarray
    palette: np.ndarray
    brightness: np.ndarray
    has_person: np.ndarray
    person_scale: np.ndarray
    has_product: np.ndarray
    text_lines: np.ndarray
    motion: np.ndarray
    n_cuts: np.ndarray
    duration_s: np.ndarray

    def __len__(self) -> int:
        return len(self.is_video)

    def take(self, index: np.ndarray) -> MediaAttributes:
        """The attributes of the media at ``index`` (e.g. one row per creative)."""
        return MediaAttributes(
            **{name: getattr(self, name)[index] for name in self.__dataclass_fields__}
        )


@dataclass(frozen=True)
class CopyAttributes:
    """Copy attributes of each creative (arrays of one length)."""

    has_question: np.ndarray
    has_emoji: np.ndarray
    has_number: np.ndarray
    cta: np.ndarray

    def __len__(self) -> int:
        return len(self.cta)


def draw_media_attributes(
    rng: np.random.Generator,
    n: int,
    video_share: float,
    seconds_range: tuple[float, float] = (2.0, 4.0),
) -> MediaAttributes:
    """Draw visual attributes for ``n`` media files."""
    is_video = rng.random(n) < video_share
    motion = np.where(is_video, rng.beta(2.0, 2.0, n), 0.0)
    cuts = np.minimum(rng.poisson(1.2, n), MAX_CUTS)
    low, high = seconds_range
    return MediaAttributes(
        is_video=is_video,
        palette=rng.choice(len(PALETTES), size=n, p=PALETTE_P).astype(np.int8),
        brightness=rng.beta(2.5, 2.5, n),
        has_person=rng.random(n) < 0.5,
        person_scale=rng.uniform(0.6, 1.4, n),
        has_product=rng.random(n) < 0.55,
        text_lines=rng.choice(MAX_TEXT_LINES + 1, size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1]).astype(
            np.int8
        ),
        motion=motion,
        n_cuts=np.where(is_video, cuts, 0).astype(np.int8),
        duration_s=np.where(is_video, rng.uniform(low, high, n), 0.0),
    )


def draw_copy_attributes(rng: np.random.Generator, n: int) -> CopyAttributes:
    """Draw copy attributes for ``n`` creatives."""
    return CopyAttributes(
        has_question=rng.random(n) < 0.3,
        has_emoji=rng.random(n) < 0.35,
        has_number=rng.random(n) < 0.4,
        cta=rng.choice(len(CTA_TYPES), size=n, p=[0.3, 0.25, 0.12, 0.08, 0.15, 0.10]).astype(
            np.int8
        ),
    )


def _raw_visual_ctr(m: MediaAttributes) -> np.ndarray:
    warm = m.palette == PALETTES.index("warm")
    b = m.brightness
    return (
        _PALETTE_CTR[m.palette]
        + np.where(m.has_person, 0.30 * m.person_scale, 0.0)
        + np.where(m.has_person & warm, 0.12, 0.0)
        + np.where(m.has_product, 0.12, 0.0)
        + _TEXT_CTR[m.text_lines]
        + 1.0 * (b - 0.5)
        - 2.5 * (b - 0.6) ** 2
        + np.where(m.is_video, 0.08 + 0.6 * (m.motion - 0.4) + _CUTS_CTR[m.n_cuts], 0.0)
    )


def _raw_copy_ctr(c: CopyAttributes) -> np.ndarray:
    return 0.08 * c.has_question + 0.05 * c.has_emoji + 0.10 * c.has_number + _CTA_CTR[c.cta]


def _raw_visual_c2s(m: MediaAttributes) -> np.ndarray:
    return (
        np.where(m.has_product, 0.30, 0.0)
        + np.where(m.has_person, 0.05, 0.0)
        + _TEXT_C2S[m.text_lines]
        + _PALETTE_C2S[m.palette]
        + 0.2 * (m.brightness - 0.5)
        - 0.05 * m.is_video
    )


def _raw_copy_c2s(c: CopyAttributes) -> np.ndarray:
    return 0.12 * c.has_number - 0.05 * c.has_question + _CTA_C2S[c.cta]


@functools.lru_cache(maxsize=1)
def _calibration() -> tuple[float, float, float, float]:
    """(mean, scale) for the CTR and the c2s effect, from a fixed reference sample."""
    rng = np.random.default_rng(20260101)
    n = 200_000
    media = draw_media_attributes(rng, n, video_share=0.35)
    copy = draw_copy_attributes(rng, n)
    ctr = _raw_visual_ctr(media) + _raw_copy_ctr(copy)
    c2s = _raw_visual_c2s(media) + _raw_copy_c2s(copy)
    return (
        float(ctr.mean()),
        CREATIVE_CTR_SD / float(ctr.std()),
        float(c2s.mean()),
        CREATIVE_C2S_SD / float(c2s.std()),
    )


@dataclass(frozen=True)
class CreativeEffects:
    """Logit effects of each creative, split into the visual and the copy part."""

    ctr_visual: np.ndarray
    ctr_copy: np.ndarray
    c2s_visual: np.ndarray
    c2s_copy: np.ndarray

    @property
    def ctr(self) -> np.ndarray:
        """Total effect on logit(ctr_u)."""
        return self.ctr_visual + self.ctr_copy

    @property
    def c2s(self) -> np.ndarray:
        """Total effect on logit(c2s)."""
        return self.c2s_visual + self.c2s_copy


def creative_effects(media: MediaAttributes, copy: CopyAttributes) -> CreativeEffects:
    """Centred, scaled logit effects for creatives with the given media and copy."""
    ctr_mean, ctr_scale, c2s_mean, c2s_scale = _calibration()
    ctr_visual = _raw_visual_ctr(media)
    ctr_copy = _raw_copy_ctr(copy)
    c2s_visual = _raw_visual_c2s(media)
    c2s_copy = _raw_copy_c2s(copy)
    return CreativeEffects(
        ctr_visual=ctr_scale * (ctr_visual - ctr_mean),
        ctr_copy=ctr_scale * ctr_copy,
        c2s_visual=c2s_scale * (c2s_visual - c2s_mean),
        c2s_copy=c2s_scale * c2s_copy,
    )


def attributes_table(
    creative_ids: list[str],
    media_index: np.ndarray,
    media: MediaAttributes,
    copy: CopyAttributes,
    effects: CreativeEffects,
) -> pa.Table:
    """Ground-truth attributes and effects, one row per creative."""
    m = media.take(media_index)
    return pa.table(
        {
            "creative_id": pa.array(creative_ids, pa.string()),
            "media_index": pa.array(media_index, pa.int64()),
            "media_type": pa.array(np.where(m.is_video, "video", "image"), pa.string()),
            "palette": pa.array(np.asarray(PALETTES)[m.palette], pa.string()),
            "brightness": pa.array(m.brightness, pa.float64()),
            "has_person": pa.array(m.has_person, pa.bool_()),
            "person_scale": pa.array(np.where(m.has_person, m.person_scale, 0.0), pa.float64()),
            "has_product": pa.array(m.has_product, pa.bool_()),
            "text_lines": pa.array(m.text_lines.astype(np.int64), pa.int64()),
            "motion": pa.array(m.motion, pa.float64()),
            "n_cuts": pa.array(m.n_cuts.astype(np.int64), pa.int64()),
            "duration_s": pa.array(m.duration_s, pa.float64()),
            "has_question": pa.array(copy.has_question, pa.bool_()),
            "has_emoji": pa.array(copy.has_emoji, pa.bool_()),
            "has_number": pa.array(copy.has_number, pa.bool_()),
            "call_to_action_type": pa.array(np.asarray(CTA_TYPES)[copy.cta], pa.string()),
            "ctr_effect_visual": pa.array(effects.ctr_visual, pa.float64()),
            "ctr_effect_copy": pa.array(effects.ctr_copy, pa.float64()),
            "c2s_effect_visual": pa.array(effects.c2s_visual, pa.float64()),
            "c2s_effect_copy": pa.array(effects.c2s_copy, pa.float64()),
        }
    )
