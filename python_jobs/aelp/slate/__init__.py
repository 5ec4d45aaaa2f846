"""Daily budget slates: Beta posteriors per ad and batched Thompson sampling.

Entry points for the command line: :func:`make_slate` then :func:`write_slate`
(``aelp slate``).
"""

from __future__ import annotations

from aelp.slate.build import make_slate, write_slate
from aelp.slate.config import SlateConfig

__all__ = ["SlateConfig", "make_slate", "write_slate"]
