"""A local stand-in for the Graph API that serves a sample world to the facebook-business SDK.

``GraphApiServer.for_world_dir(dir).start()`` listens on 127.0.0.1 (an ephemeral port by
default) and answers versioned paths (``/v26.0/act_…/insights``) with field selection,
cursor paging, async report runs, Meta's error bodies and usage headers, ad images and
video sources that point at the world's media files. ``server.faults`` injects rate
limits, 5xx, an expired token, failing report runs, "reduce the amount of data" above a
size, slow responses and insights throttling; ``catalog.set_insights`` restates numbers.
"""

from aelp.world.graph_api.catalog import Catalog, build_catalog, restate_insights
from aelp.world.graph_api.faults import Faults
from aelp.world.graph_api.server import DEFAULT_TOKEN, GraphApiServer

__all__ = [
    "DEFAULT_TOKEN",
    "Catalog",
    "Faults",
    "GraphApiServer",
    "build_catalog",
    "restate_insights",
]
