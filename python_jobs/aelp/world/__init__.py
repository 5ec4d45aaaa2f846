"""The seeded sample world: realistic Meta ad accounts generated deterministically.

``generate_world(WorldConfig(...), out_dir)`` draws accounts, campaigns, ad sets, ads and
creatives (rendered as real PNG / MP4 files), simulates daily delivery and returns the
raw tables in the contract of :mod:`aelp.schemas`, with the true rates kept apart.
``write_world`` / ``read_world`` store and load a world directory;
``generate_world_to_dir`` streams a large world to one with bounded memory.
"""

from aelp.world.config import WorldConfig
from aelp.world.generate import World, generate_world
from aelp.world.io import generate_world_to_dir, read_world, write_world

__all__ = [
    "World",
    "WorldConfig",
    "generate_world",
    "generate_world_to_dir",
    "read_world",
    "write_world",
]
