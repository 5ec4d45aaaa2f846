"""Shared sample worlds for the world tests: generated once per session, kept small."""

from __future__ import annotations

from pathlib import Path

import pytest

from aelp.world import World, WorldConfig, generate_world, write_world

TINY = WorldConfig(seed=11, n_ads=20, n_days=20)
MID = WorldConfig(seed=5, n_ads=2400, n_days=60, n_accounts=2, render=False)


@pytest.fixture(scope="session")
def tiny_written(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, Path]:
    """A tiny rendered world and the directory it was written to."""
    out = tmp_path_factory.mktemp("tiny_world")
    world = generate_world(TINY, out)
    write_world(world, out)
    return world, out


@pytest.fixture(scope="session")
def tiny(tiny_written: tuple[World, Path]) -> World:
    """The tiny rendered world."""
    return tiny_written[0]


@pytest.fixture(scope="session")
def tiny_dir(tiny_written: tuple[World, Path]) -> Path:
    """The directory holding the tiny world's files."""
    return tiny_written[1]


@pytest.fixture(scope="session")
def mid() -> World:
    """A mid-size unrendered world, two accounts, large enough for levels and shares."""
    return generate_world(MID)
