"""Split a library across machines by content hash: ``--shard K/N``.

Shard membership depends only on a file's bytes, so every machine agrees on it without
talking to the others, the same file always lands in the same shard whatever its name
or folder, and the shards' rows never overlap in the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: need 1 <= K <= N")

    def holds(self, content_sha256: str) -> bool:
        """Whether a file with this SHA-256 (hex) belongs to this shard."""
        return shard_of(content_sha256, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(content_sha256: str, count: int) -> int:
    """The 1-based shard of a hex SHA-256 among ``count`` shards (its first 64 bits mod N)."""
    return int(content_sha256[:16], 16) % count + 1


def parse_shard(text: str) -> Shard:
    """``"K/N"`` as a :class:`Shard`; raises ``ValueError`` on anything else."""
    parts = text.split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"shard must look like K/N (e.g. 2/4), got {text!r}")
    return Shard(int(parts[0]), int(parts[1]))
