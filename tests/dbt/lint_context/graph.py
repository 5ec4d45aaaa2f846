"""dbt's ``graph`` as sqlfluff sees it: no nodes (lint needs no manifest)."""

nodes: dict[str, object] = {}
