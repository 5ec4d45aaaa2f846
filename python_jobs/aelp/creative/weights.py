"""Which learned parameters a model uses, and the label recorded with its outputs.

A weights setting is one of:

* ``random-init``: the architecture with seeded random parameters (tests, demos,
  machines without model files); recorded as ``random-init``.
* a path to a local checkpoint file; recorded as ``sha256:<file hash>``, so the same
  file under another name is the same weights.
* anything else: a library's pretrained tag (open_clip's ``laion2b_s34b_b79k``,
  ``openai``...); recorded as the tag. It must load or the run stops: there is no
  fallback to random weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aelp.creative.hashing import file_sha256
from aelp.errors import AelpError

RANDOM_INIT = "random-init"

WeightsKind = Literal["random", "checkpoint", "pretrained"]


class WeightsError(AelpError, RuntimeError):
    """Configured weights could not be found or loaded."""


@dataclass(frozen=True)
class Weights:
    """A resolved weights setting: what kind, what to load, and its recorded label."""

    kind: WeightsKind
    source: str
    label: str


def looks_like_path(value: str) -> bool:
    """Whether a setting names a file rather than a tag (a separator or a known suffix)."""
    return "/" in value or "\\" in value or value.endswith((".pt", ".pth", ".bin", ".safetensors"))


def resolve_weights(setting: str, base_dir: Path | None = None) -> Weights:
    """Resolve a weights setting; a path must exist (relative paths are from ``base_dir``)."""
    value = setting.strip()
    if not value:
        raise WeightsError("empty weights setting (use 'random-init', a tag or a file path)")
    if value == RANDOM_INIT:
        return Weights("random", value, RANDOM_INIT)
    if looks_like_path(value):
        path = Path(value).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise WeightsError(f"checkpoint file {path} does not exist")
        return Weights("checkpoint", str(path), f"sha256:{file_sha256(path)}")
    return Weights("pretrained", value, value)
