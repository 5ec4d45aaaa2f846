"""The ``aelp`` command line.

``context`` holds what every command shares (settings, a lazily opened warehouse, option
types, the error rule); ``main`` assembles the command groups that the pipeline packages
declare in their own ``commands`` modules. Nothing imports ``main`` but the entry point.
"""

from __future__ import annotations


def run() -> None:
    """Entry point of the ``aelp`` script (imports the assembled command line lazily)."""
    from aelp.cli.main import run as run_main

    run_main()
