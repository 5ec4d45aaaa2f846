"""Advertisers' verticals and the ad copy (titles and bodies) written for them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aelp.world.attributes import CopyAttributes


@dataclass(frozen=True)
class Vertical:
    """What an advertiser sells, and the interests its ad sets target."""

    brand: str
    products: tuple[str, ...]
    benefits: tuple[str, ...]
    verbs: tuple[str, ...]
    interests: tuple[tuple[str, str], ...]


VERTICALS: tuple[Vertical, ...] = (
    Vertical(
        brand="Northpeak Active",
        products=("running tights", "training shoes", "sports bra", "gym bag", "hoodie"),
        benefits=("breathable fabric", "all-day comfort", "sweat-wicking fit", "free returns"),
        verbs=("train harder", "run further", "move freely", "hit your goals"),
        interests=(
            ("6003107902433", "Fitness and wellness"),
            ("6003384248805", "Running"),
            ("6003277229526", "Yoga"),
            ("6003139266461", "Physical exercise"),
            ("6003648059946", "Sportswear"),
        ),
    ),
    Vertical(
        brand="Lumen Skin",
        products=("vitamin C serum", "night cream", "SPF moisturiser", "cleansing balm"),
        benefits=("visible glow", "clean ingredients", "dermatologist tested", "vegan formula"),
        verbs=("glow up", "reset your routine", "protect your skin", "wake up radiant"),
        interests=(
            ("6003456388203", "Skin care"),
            ("6002839660079", "Cosmetics"),
            ("6003088846792", "Beauty"),
            ("6003346592981", "Organic food"),
        ),
    ),
    Vertical(
        brand="Forkful",
        products=("meal kit", "family box", "protein bowls", "veggie box"),
        benefits=("ready in 20 minutes", "farm-fresh produce", "no food waste", "chef recipes"),
        verbs=("cook smarter", "skip the shop", "eat better", "save weeknights"),
        interests=(
            ("6003030029655", "Cooking"),
            ("6003385609165", "Healthy diet"),
            ("6003659420716", "Recipes"),
            ("6003266061909", "Food delivery"),
        ),
    ),
    Vertical(
        brand="Tasklane",
        products=("team planner", "project boards", "time tracker", "client portal"),
        benefits=("one place for every task", "fewer meetings", "setup in minutes", "SOC 2"),
        verbs=("ship on time", "plan your sprint", "get organised", "focus on work"),
        interests=(
            ("6003402305839", "Project management"),
            ("6003012317397", "Small business"),
            ("6003371567474", "Entrepreneurship"),
            ("6002884511422", "Software"),
        ),
    ),
)

_EMOJI = ("🔥", "✨", "💪", "🚀", "✅", "🌿", "⭐")


def write_copy(
    rng: np.random.Generator, vertical: Vertical, attrs: CopyAttributes
) -> tuple[list[str], list[str], list[str]]:
    """Titles, bodies and creative names matching the copy attributes, one per creative."""
    n = len(attrs)
    product = rng.integers(0, len(vertical.products), n)
    benefit = rng.integers(0, len(vertical.benefits), n)
    verb = rng.integers(0, len(vertical.verbs), n)
    emoji = rng.integers(0, len(_EMOJI), n)
    percent = rng.choice(np.array([10, 15, 20, 25, 30, 40, 50]), n)
    title_kind = rng.integers(0, 3, n)
    titles: list[str] = []
    bodies: list[str] = []
    names: list[str] = []
    for i in range(n):
        prod = vertical.products[product[i]]
        ben = vertical.benefits[benefit[i]]
        act = vertical.verbs[verb[i]]
        if attrs.has_number[i]:
            title = f"{percent[i]}% off {prod}"
        elif title_kind[i] == 0:
            title = f"{vertical.brand} {prod}"
        elif title_kind[i] == 1:
            title = f"New: {prod}"
        else:
            title = f"{prod.capitalize()} with {ben}"
        opener = f"Ready to {act}?" if attrs.has_question[i] else f"Time to {act}."
        body = f"{opener} Our {prod} brings {ben}."
        if attrs.has_number[i]:
            body += f" Save {percent[i]}% this week only."
        if attrs.has_emoji[i]:
            body += f" {_EMOJI[emoji[i]]}"
        titles.append(title)
        bodies.append(body)
        names.append(f"{vertical.brand} | {prod} | concept {i + 1}")
    return titles, bodies, names
