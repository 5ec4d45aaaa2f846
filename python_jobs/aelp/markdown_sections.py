"""Sections of a Markdown file that a command owns, between its own begin/end markers.

Benchmarks write their figures into one shared ``docs/benchmarks.md``: each replaces only
the text between its markers, so hand-written notes and the other benchmarks' sections stay.
"""

from __future__ import annotations

import re
from pathlib import Path


def write_marked_section(path: Path, begin: str, end: str, section: str) -> None:
    """Put ``section`` between the ``begin`` and ``end`` markers of the Markdown file.

    The file is created with a title when missing; the markers are appended when the file
    has none; text outside them is kept.
    """
    block = f"{begin}\n{section.rstrip()}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n")
