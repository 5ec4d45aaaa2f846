"""The interface every content extractor implements.

An extractor turns a batch of decoded media into feature columns. The runner adds the
key (``content_sha256``, ``extractor_version``, ``weights``), the media's geometry and
timing, and the load metadata, then writes the rows to the extractor's ``table``.
Decoding is shared: extractors with equal ``decode_options`` see the same frames.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from aelp.creative.media import DecodedMedia, DecodeOptions
from aelp.schemas import ASSET_FEATURES, TableSpec

NO_WEIGHTS = "none"
"""The ``weights`` label of an extractor that uses no learned weights."""


class Extractor(ABC):
    """Computes feature columns from decoded media.

    Subclasses set ``name``, ``version`` (bump it whenever outputs change), ``columns``
    (the feature columns :meth:`extract` returns, all in ``table``) and implement
    :meth:`extract`. Model-backed extractors override :attr:`weights` with what
    identifies their parameters: a pretrained tag, a checkpoint hash or ``random-init``.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    table: ClassVar[TableSpec] = ASSET_FEATURES

    @property
    def weights(self) -> str:
        """What identifies the learned parameters used; ``'none'`` when there are none."""
        return NO_WEIGHTS

    @property
    def decode_options(self) -> DecodeOptions:
        """How the media this extractor sees is decoded and sampled."""
        return DecodeOptions()

    def settings(self) -> Mapping[str, Any]:
        """Parameters that change the output and differ from this version's defaults."""
        return {}

    @property
    def extractor_version(self) -> str:
        """``name/version``, plus a digest of :meth:`settings` when any are non-default."""
        label = f"{self.name}/{self.version}"
        changed = self.settings()
        if not changed:
            return label
        canonical = json.dumps(dict(changed), sort_keys=True, default=str)
        return f"{label}+{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"

    @abstractmethod
    def extract(self, batch: Sequence[DecodedMedia]) -> dict[str, list[Any]]:
        """Feature columns for ``batch``: each of ``columns`` maps to one value per item."""


class ExtractorContractError(TypeError):
    """An extractor returned columns that break its declared contract (a bug, not bad media)."""


def check_output(extractor: Extractor, output: Mapping[str, Sequence[Any]], rows: int) -> None:
    """Raise :class:`ExtractorContractError` unless ``output`` matches the declared columns."""
    expected = set(extractor.columns)
    if set(output) != expected:
        raise ExtractorContractError(
            f"{extractor.extractor_version}: returned columns {sorted(output)}, "
            f"declared {sorted(expected)}"
        )
    unknown = expected - set(extractor.table.schema.names)
    if unknown:
        raise ExtractorContractError(
            f"{extractor.extractor_version}: columns {sorted(unknown)} are not in "
            f"{extractor.table.qualified}"
        )
    short = {name: len(values) for name, values in output.items() if len(values) != rows}
    if short:
        raise ExtractorContractError(
            f"{extractor.extractor_version}: expected {rows} values per column, got {short}"
        )
