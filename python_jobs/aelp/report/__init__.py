"""``aelp report``: one self-contained HTML file of the dashboards, read from the rpt_ views.

Data come from the warehouse through the :class:`~aelp.warehouse.Warehouse` interface (the
same SQL on DuckDB and BigQuery); charts are Plotly figures with plotly.js inlined once, so the
file opens offline; thumbnails are small base64 images of the creatives' files. A section whose
view is missing or empty says which command fills it instead of showing anything made up.
"""

from aelp.report.build import build_report, write_report

__all__ = ["build_report", "write_report"]
