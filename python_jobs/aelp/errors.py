"""The one base of the errors a user can act on.

A job raises a subclass of :class:`AelpError` when the cause is outside the code — a
missing table, an unreachable warehouse, a bad configuration, a model run that does not
exist — with a message that names what is wrong and how to fix it. The command line turns
these into one line and exit code 1; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class AelpError(Exception):
    """A known, actionable failure: the message names the cause and the fix."""
