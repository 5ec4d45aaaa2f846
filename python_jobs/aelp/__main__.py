"""``python -m aelp``: the same command line as the ``aelp`` script."""

from aelp.cli import run

run()
