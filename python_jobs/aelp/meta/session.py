"""The facebook-business SDK session: base URL override, no crash reporter, no globals."""

from __future__ import annotations

from facebook_business.api import FacebookAdsApi
from facebook_business.crashreporter import CrashReporter
from facebook_business.session import FacebookSession

from aelp.meta.config import MetaConfig


def open_api(config: MetaConfig) -> FacebookAdsApi:
    """An API object for ``config``: ``GRAPH`` points at ``META_GRAPH_URL`` when set.

    The crash reporter (which posts tracebacks to graph.facebook.com with a fresh session)
    stays off: this is ``FacebookAdsApi.init(..., crash_log=False)`` without the global
    default API, so two fetches in one process cannot share a token by accident.
    """
    CrashReporter.disable()
    session = FacebookSession(access_token=config.access_token, timeout=config.request_timeout_s)
    if config.graph_url:
        session.GRAPH = config.graph_url.rstrip("/")
    return FacebookAdsApi(session, api_version=config.api_version)
