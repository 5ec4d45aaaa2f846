"""Creative content features: decode images and videos, extract features, load them.

``extract_folder`` is the entry point; extractors implement
:class:`~aelp.creative.extractors.base.Extractor`.
"""

from aelp.creative.extractors import Extractor, FileStatsExtractor, FileStatsSettings
from aelp.creative.hashing import file_sha256
from aelp.creative.media import DecodedMedia, DecodeOptions, MediaError
from aelp.creative.runner import ExtractSummary, FileFailure, extract_folder
from aelp.creative.tables import ASSET_EXTRACTION_FAILURES

__all__ = [
    "ASSET_EXTRACTION_FAILURES",
    "DecodeOptions",
    "DecodedMedia",
    "ExtractSummary",
    "Extractor",
    "FileFailure",
    "FileStatsExtractor",
    "FileStatsSettings",
    "MediaError",
    "extract_folder",
    "file_sha256",
]
