"""AELP: Meta Ads link CTR, creative features, models and budget slates."""

__version__ = "0.1.0"
