"""Content extractors: the interface and its implementations."""

from aelp.creative.extractors.base import (
    NO_WEIGHTS,
    Extractor,
    ExtractorContractError,
    check_output,
)
from aelp.creative.extractors.file_stats import FileStatsExtractor, FileStatsSettings

__all__ = [
    "NO_WEIGHTS",
    "Extractor",
    "ExtractorContractError",
    "FileStatsExtractor",
    "FileStatsSettings",
    "check_output",
]
