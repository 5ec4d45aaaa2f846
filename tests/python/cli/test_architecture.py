"""The package's dependency rules that import-linter cannot state."""

from __future__ import annotations

import ast
from pathlib import Path

import aelp

PACKAGE = Path(aelp.__file__).parent


def private_imports_across_packages(root: Path) -> list[str]:
    """``from aelp.<other> import _name`` in the modules under ``root`` (the ``aelp`` folder).

    A name that starts with an underscore is private to its package: another package (or a
    top-level module) that imports it depends on what may change without notice.
    """
    found = []
    for path in sorted(root.rglob("*.py")):
        home = path.relative_to(root).with_suffix("").parts[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            parts = node.module.split(".")
            if parts[0] != "aelp" or len(parts) < 2 or parts[1] == home:
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            if private:
                found.append(f"{path.relative_to(root)}: {node.module} {private}")
    return found


def test_no_module_imports_another_packages_private_names() -> None:
    assert private_imports_across_packages(PACKAGE) == []


def test_the_check_finds_a_private_import_from_another_package(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "bench.py").write_text(
        "from aelp.modeling.bench import _env, run\nfrom aelp.concepts.x import _ok\n"
    )
    assert private_imports_across_packages(tmp_path) == [
        "concepts/bench.py: aelp.modeling.bench ['_env']"
    ]
