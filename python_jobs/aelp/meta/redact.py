"""Keep the access token out of every message: redaction of text and of log records."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

REDACTED = "[REDACTED]"
_SECRET_PARAMS = re.compile(
    r"""(?P<key>(access_token|appsecret_proof|client_secret)['"]?\s*[=:]\s*['"]?)"""
    r"""(?P<value>[^&\s'",}]+)""",
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with secret query parameters and the given secret strings replaced."""
    out = _SECRET_PARAMS.sub(lambda m: m.group("key") + REDACTED, text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, REDACTED)
    return out


class RedactingFilter(logging.Filter):
    """A handler filter that redacts every record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self.secrets
            )
        return True


@contextmanager
def redacted_logs(secrets: Iterable[str]) -> Iterator[None]:
    """Redact the secrets from every record that reaches the root logger's handlers."""
    filt = RedactingFilter(secrets)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(filt)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(filt)
