"""Where and how the models run: offline switches, device choice and CPU threads.

``configure_offline`` must run before ``open_clip``, ``huggingface_hub`` or
``ultralytics`` are imported: they read these environment variables at import time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

DeviceChoice = Literal["auto", "cuda", "cpu"]

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "YOLO_OFFLINE": "1",
}


def configure_offline(offline: bool, config_dir: Path) -> None:
    """Keep model libraries off the network (when ``offline``) and out of the home folder.

    ultralytics keeps its settings under ``YOLO_CONFIG_DIR``; pointing it at
    ``config_dir`` keeps runs self-contained. Its settings sync is turned off as soon
    as the package is imported (see :func:`ultralytics_module`).
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("YOLO_CONFIG_DIR", str(config_dir))
    if offline:
        os.environ.update(OFFLINE_ENV)


def resolve_device(choice: DeviceChoice) -> str:
    """``cuda`` or ``cpu``: ``auto`` takes CUDA when present; ``cuda`` without one is an error."""
    import torch

    available = torch.cuda.is_available()
    if choice == "cuda" and not available:
        raise RuntimeError("--device cuda was asked for but no CUDA device is available")
    if choice == "cpu" or not available:
        return "cpu"
    return "cuda"


def default_threads() -> int:
    """Threads for CPU inference: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def set_threads(threads: int) -> None:
    """Set torch's intra-op threads (ultralytics lowers them on import and on predict)."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def ultralytics_settings_off() -> None:
    """Import ultralytics tamed: analytics sync off and Pillow's ``Image.open`` restored.

    ultralytics replaces ``PIL.Image.open`` process-wide with a wrapper that, on a file
    Pillow cannot identify, tries to install a HEIF plugin; corrupt images must fail
    as plain decode errors instead, and nothing may be installed at run time.
    """
    from PIL import Image
    from ultralytics import settings
    from ultralytics.utils import patches

    original = getattr(patches, "_image_open", None)
    if original is not None and Image.open is not original:
        Image.open = original
    if settings.get("sync", False):
        settings.update({"sync": False})
