"""The report's HTML: one page, inline CSS, plotly.js inlined once, no external reference."""

from __future__ import annotations

import jinja2

CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'"
)
"""Content-Security-Policy of the page: nothing may be fetched from anywhere."""

PAGE = jinja2.Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2933;
       background: #f5f7fa; }
header { background: #1f2933; color: #fff; padding: 16px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #cbd2d9; font-size: 13px; }
nav { padding: 8px 32px; background: #fff; border-bottom: 1px solid #e4e7eb; font-size: 14px; }
nav a { margin-right: 16px; color: #2f6fb0; text-decoration: none; }
main { padding: 16px 32px 48px; max-width: 1280px; }
section { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 16px 20px;
          margin: 16px 0; }
section h2 { margin: 0 0 6px; font-size: 18px; }
section p.intro { margin: 0 0 12px; color: #52606d; font-size: 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.card { border: 1px solid #e4e7eb; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .label { font-size: 12px; color: #7b8794; text-transform: uppercase; }
.card .value { font-size: 22px; font-weight: 600; }
.card .note { font-size: 12px; color: #7b8794; }
.change.up { color: #2f8132; } .change.down { color: #c0392b; } .change.flat { color: #7b8794; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { flex: 1 1 520px; min-width: 420px; min-height: 320px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e7eb;
         vertical-align: middle; }
th { color: #52606d; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img.thumb { width: 48px; height: 48px; object-fit: cover; border-radius: 4px; display: block; }
.noimg { width: 48px; height: 48px; background: #e4e7eb; border-radius: 4px; }
.flag { display: inline-block; padding: 1px 6px; border-radius: 10px; font-size: 11px;
        margin-right: 4px; color: #fff; }
.flag.fatiguing { background: #e45756; } .flag.under-delivering { background: #f58518; }
.unavailable { background: #fff8e1; border: 1px dashed #f0b429; padding: 12px 16px;
               border-radius: 6px; color: #7c5e10; font-size: 14px; }
.gallery { display: flex; flex-wrap: wrap; gap: 12px; }
.gallery figure { margin: 0; width: 150px; font-size: 12px; }
.gallery img { width: 72px; height: 72px; object-fit: cover; border-radius: 4px; }
.footnote { font-size: 12px; color: #7b8794; }
</style>
<script>{{ plotly_js }}</script>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p>{{ subtitle }}</p>
</header>
<nav>{% for s in sections %}<a href="#{{ s.key }}">{{ s.title }}</a>{% endfor %}</nav>
<main>
{% for s in sections %}
<section id="{{ s.key }}" data-available="{{ 'no' if s.unavailable else 'yes' }}">
<h2>{{ s.title }}</h2>
{% if s.intro %}<p class="intro">{{ s.intro }}</p>{% endif %}
{% if s.unavailable %}
<div class="unavailable">{{ s.unavailable }}</div>
{% else %}
{% for block in s.blocks if block.kind == 'cards' %}
<h3>{{ block.title }}</h3>
<div class="cards">
{% for c in block.cards %}
<div class="card"><div class="label">{{ c.label }}</div><div class="value">{{ c.value }}</div>
{% if c.change %}
<div class="change {{ c.direction }}">{{ c.change }} vs 7 days before</div>
{% endif %}
{% if c.note %}<div class="note">{{ c.note }}</div>{% endif %}</div>
{% endfor %}
</div>
<p class="footnote">{{ block.footnote }}</p>
{% endfor %}
{% if s.charts %}
<div class="charts">
{% for chart in s.charts %}<div class="chart" data-chart="{{ chart.key }}">{{ chart.html }}</div>
{% endfor %}
</div>
{% endif %}
{% for block in s.blocks if block.kind != 'cards' %}
{% if block.kind == 'running_table' %}
<table>
<thead><tr><th>#</th><th></th><th>ad</th><th>impr. 7d</th><th>ctr_u today</th><th>ctr_u 7d</th>
<th>predicted</th><th>interval</th><th>7d − predicted</th><th>flags</th></tr></thead>
<tbody>
{% for r in block.rows %}
<tr><td class="num">{{ r.rank }}</td>
<td>{% if r.thumbnail %}
<img class="thumb" alt="creative of ad {{ r.ad_id }}" src="{{ r.thumbnail }}">
{% else %}<div class="noimg"></div>{% endif %}</td>
<td>{{ r.name }}<br><span class="footnote">{{ r.ad_id }} · {{ r.campaign }}</span></td>
<td class="num">{{ r.impressions_7d }}</td><td class="num">{{ r.ctr_u_today }}</td>
<td class="num">{{ r.ctr_u_7d }}</td><td class="num">{{ r.predicted }}</td>
<td class="num">{{ r.interval }}</td><td class="num">{{ r.difference }}</td>
<td>{% for f in r.flags %}<span class="flag {{ f }}">{{ f }}</span>{% endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
<p class="footnote">{{ block.footnote }}</p>
{% elif block.kind == 'table' %}
{% if block.title %}<h3>{{ block.title }}</h3>{% endif %}
<table>
<thead><tr>{% for c in block.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in block.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% elif block.kind == 'gallery' %}
<div class="gallery">
{% for item in block.entries %}
<figure>{% if item.thumbnail %}<img alt="{{ item.label }}" src="{{ item.thumbnail }}">{% endif %}
<figcaption><strong>{{ item.label }}</strong><br>{{ item.value }}<br>{{ item.note }}
</figcaption></figure>
{% endfor %}
</div>
{% endif %}
{% endfor %}
{% endif %}
</section>
{% endfor %}
<p class="footnote">Written by aelp report from the rpt_ views of {{ schema }}. Charts: Plotly
{{ plotly_version }}, inlined; this file fetches nothing when opened.</p>
</main>
</body>
</html>
""",
    autoescape=True,
)
