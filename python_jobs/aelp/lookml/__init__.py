"""LookML view files generated from the dbt documentation of the ``rpt_`` views.

Dimensions take their type from each column's ``data_type`` and their text from its
description; measures follow the column's ``meta.aggregation``: ``sum`` (additive counts and
money), ``ratio`` (sum of the numerator over sum of the denominator, never an average of row
rates), ``non_additive`` (unique people, reach: no measure of its own, flagged) or ``none``.
"""

from aelp.lookml.generate import LookMLError, render_views, write_lookml
from aelp.lookml.views import (
    Dashboard,
    ReportColumn,
    ReportView,
    views_from_manifest,
    views_from_yaml,
)

__all__ = [
    "Dashboard",
    "LookMLError",
    "ReportColumn",
    "ReportView",
    "render_views",
    "views_from_manifest",
    "views_from_yaml",
    "write_lookml",
]
