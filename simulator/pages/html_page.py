"""The comparison page: one self-contained HTML file, plotly.js inlined, nothing fetched.

The page holds its data as JSON and draws the charts with plotly.js from the
same file, so it opens offline, from any folder, with no request leaving the
machine. Every user string (labels, run names, tags, notes) is HTML-escaped
where it is written, chart names included (plotly reads markup in them); the
JSON has no "<", so it cannot close or comment out its script element.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, cast, final
from urllib.parse import quote

import pandas as pd

from ..reports.files import file_stem, slug
from ..units import TRADING_DAYS
from .charts import (
    FONT,
    LONG_YEARS,
    axes,
    decade_ticks,
    drawdown_chart,
    growth_chart,
    line_styles,
    long_span,
    points_for,
    rolling_excess_chart,
    ticker_colours,
    weights_chart,
)
from .comparison import Comparison, relative_link
from .tables import (
    calendar_table,
    chip,
    decade_grids,
    definitions_list,
    glance,
    hindsight_badge,
    metric_definitions,
    metrics_table,
)


@final
@dataclass(frozen=True)
class PageInfo:
    """What the page says about itself: a title, lines under it, and links to files beside it."""

    title: str
    lines: Sequence[str]
    links: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (text, href relative to the page)


def render(c: Comparison, page_folder: Path, info: PageInfo) -> str:
    """The whole page as one HTML string.

    Requires ``page_folder``, the folder the page will be written to (links to
    tearsheets and run files are made relative to it).
    """
    hindsight = c.hindsight
    definitions = metric_definitions(c)
    styles = line_styles(c.labels, c.benchmark, c.families, hindsight)
    colours = {label: style.colour for label, style in styles.items()}
    tick_colours = ticker_colours(c.weights.values())
    bench = escape(c.benchmark)
    index = cast(pd.DatetimeIndex, c.returns.index)
    long = long_span(index)
    points = points_for(index)
    figures = {
        "growth": growth_chart(c.returns, c.benchmark, styles, points),
        "drawdowns": drawdown_chart(c.returns, c.benchmark, styles, points),
        "rolling": rolling_excess_chart(c.returns, c.benchmark, styles, points),
    }
    weight_blocks = []
    for i, label in enumerate(c.labels):
        if label not in c.weights:
            continue
        key = f"weights-{i}"
        figures[key] = weights_chart(c.weights[label], c.signals.get(label), tick_colours)
        has_signal = label in c.signals
        note = (
            f"shaded: its signal was on ({c.signals[label].mean():.0%} of days)" if has_signal else "no signal recorded"
        )
        weight_blocks.append(
            f'<div class="weights"><h3>{chip(colours[label])}{escape(label)}{hindsight_badge(hindsight.get(label))} '
            f'<span class="muted">— {note}</span></h3>'
            f'<div class="chart" data-chart="{key}"></div></div>'
        )
    figures = {key: decade_ticks(figure, index) for key, figure in figures.items()}
    axes_used = axes(c.returns)
    if points == "weekly":
        del axes_used["daily"]  # no chart reads it: 26,000 dates less
    data = {"axes": axes_used, "figures": figures}
    weekly_note = (
        f" Over {LONG_YEARS} years or more the lines have a point a week (its last close; drawdowns: its "
        "deepest close), which a screen cannot tell from daily; the tables are from every day."
        if points == "weekly"
        else ""
    )
    calendar = (
        f"""<p class="note">Return each year, a grid per column: a row per decade, a column per year's last digit
  (·0 … ·9). A strategy's cell is green when it beat {bench} that year and red when it trailed, stronger for a bigger
  gap. Small figures: points ahead (+) or behind (−); a year that reads 0.0 is level and counts neither way.</p>
  {decade_grids(c.returns, c.benchmark, colours, hindsight)}
  <details class="note"><summary>Every year as one table</summary>
  {calendar_table(c.returns, c.benchmark, colours, hindsight)}</details>"""
        if long
        else f"""<p class="note">Return each year; a strategy's cell is green when it beat {bench} that year and red when
  it trailed, stronger for a bigger gap. Small figures: points ahead (+) or behind (−); a year that reads 0.0 is level
  and counts neither way.</p>
  {calendar_table(c.returns, c.benchmark, colours, hindsight)}"""
    )
    title = ("SYNTHETIC DATA — " if c.synthetic else "") + info.title
    body = f"""
<header>
  {_synthetic_banner(c)}
  <h1>{escape(info.title)}</h1>
  {"".join(f'<p class="sub">{escape(line)}</p>' for line in info.lines)}
  {_dates_line(c)}
  <nav>{_nav()}</nav>
</header>
<main>
<section id="glance"><h2>At a glance</h2>{_hindsight_callout(hindsight)}
  {glance(c.metrics, c.returns, c.benchmark, colours, hindsight, c.vintage)}</section>
<section id="metrics"><h2>Metrics</h2>
  <p class="note">Click a column to sort. <span class="best-key">Shaded</span> marks the best value in each column
  (↑ higher is better, ↓ lower is better; drawdowns and worst years: the shallowest); values that read the same share
  it. Exposure and beta are choices, not scores, so they are not ranked.{_hindsight_key(hindsight)}
  From daily returns, {TRADING_DAYS} trading days a year. {escape(c.ratio_note)}</p>
  {metrics_table(c.metrics, c.benchmark, colours, hindsight, definitions)}
  <details class="note" open><summary>How each column is computed</summary>{definitions_list(definitions)}</details>
</section>
<section id="growth"><h2>Growth of $1</h2>
  <p class="note">Every strategy and the benchmark from the same first day, after costs, on a log scale (equal
  heights are equal percentage moves). Drag to zoom (all time charts follow), double-click to reset; click a legend
  entry to hide a line.{weekly_note}</p>
  <div class="chart" data-chart="growth"></div></section>
<section id="drawdowns"><h2>Drawdowns</h2>
  <p class="note">How far each was below its previous peak; the benchmark is the grey area.</p>
  <div class="chart" data-chart="drawdowns"></div></section>
<section id="rolling"><h2>Rolling 12-month return in excess of {bench}</h2>
  <p class="note">Each strategy's return over the past 252 trading days minus the benchmark's over the same days;
  above zero it was ahead. Starts a year after the first day.</p>
  <div class="chart" data-chart="rolling"></div></section>
<section id="calendar"><h2>Calendar years</h2>
  {calendar}</section>
<section id="weights"><h2>Weights over time</h2>
  <p class="note">What each strategy held at each week's last close (the rest is cash), with a ticker's colour the
  same in every chart.</p>
  <div class="weights-grid{" wide" if long else ""}">{"".join(weight_blocks) or '<p class="note">No weights files found.</p>'}</div></section>
<section id="files"><h2>Tearsheets and files</h2>{_files(c, page_folder, info, colours)}</section>
</main>
<footer>Made by rotsim from the files in the results folder{"s" if len(c.runs) > 1 else ""}; opens offline.</footer>
"""
    return _document(title, body, data)


def _document(title: str, body: str, data: dict[str, Any]) -> str:
    return html_document(title, body, data, CSS, SCRIPT)


def html_document(title: str, body: str, data: dict[str, Any], css: str, script: str) -> str:
    """A whole self-contained page: ``data`` as JSON beside plotly.js and ``script``, which reads it."""
    from plotly.offline import get_plotlyjs

    # no "<" at all inside the script element: neither "</script>" nor "<!--" can end or hide it
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body>{body}"
        f'<script type="application/json" id="rotsim-data">{payload}</script>'
        f"<script>{get_plotlyjs()}</script><script>{script}</script></body></html>\n"
    )


def _hindsight_callout(hindsight: Mapping[str, str]) -> str:
    """Above the cards: which strategies use the future, so no one takes them for results."""
    if not hindsight:
        return ""
    items = "".join(f"<li><b>{escape(label)}</b>: {escape(note)}</li>" for label, note in hindsight.items())
    return (
        '<div class="callout hindsight-callout"><b>HINDSIGHT.</b> These strategies use information nobody had at '
        f"the time, so their results could not have been had; they are shown for comparison and never ranked best."
        f"<ul>{items}</ul></div>"
    )


def _hindsight_key(hindsight: Mapping[str, str]) -> str:
    if not hindsight:
        return ""
    return (
        ' Rows marked <span class="hindsight-mark">HINDSIGHT</span> use the future (hover the mark for how) and are '
        "not ranked."
    )


def _synthetic_banner(c: Comparison) -> str:
    if not c.synthetic:
        return ""
    which = "" if all(r.synthetic for r in c.runs) else " in some of these runs"
    return (
        '<div class="synthetic" role="alert">SYNTHETIC DATA'
        f"{which}: a market generated by rotsim, not history. Use it to see how the tool works, "
        "not to judge a strategy.</div>"
    )


def _dates_line(c: Comparison) -> str:
    bench = f"Benchmark: <b>{escape(c.benchmark)}</b>"
    if len(c.runs) == 1:
        return f'<p class="sub">{bench} · {escape(c.span_note)}</p>'
    source = f", as run in “{escape(c.tags[0])}”"
    return f'<p class="sub">{bench}{source}</p><div class="callout"><b>Dates.</b> {escape(c.span_note)}</div>'


def _nav() -> str:
    parts = [
        ("glance", "At a glance"),
        ("metrics", "Metrics"),
        ("growth", "Growth"),
        ("drawdowns", "Drawdowns"),
        ("rolling", "Rolling excess"),
        ("calendar", "Calendar years"),
        ("weights", "Weights"),
        ("files", "Tearsheets and files"),
    ]
    return " ".join(f'<a href="#{k}">{t}</a>' for k, t in parts)


def _files(c: Comparison, page_folder: Path, info: PageInfo, colours: dict[str, str]) -> str:
    rows = []
    for label, src in c.origins.items():
        run, name = src.run, file_stem(src.label, src.run.benchmark)
        links = [
            ("quantstats tearsheet", run.folder / "tearsheets" / f"{slug(src.label)}.html"),
            ("weights", run.folder / "weights" / f"{name}.csv"),
            ("trades", run.folder / "trades" / f"{name}.csv"),
        ]
        cells = " · ".join(_link(t, p, page_folder) for t, p in links if p.is_file()) or "–"
        rows.append(f"<tr><th scope=row>{chip(colours[label])}{escape(label)}</th><td>{cells}</td></tr>")
    out = ['<table class="files"><tbody>' + "".join(rows) + "</tbody></table>"]
    if info.links:
        out.append("<p>" + " · ".join(f'<a href="{escape(h)}">{escape(t)}</a>' for t, h in info.links) + "</p>")
    for tag, run in zip(c.tags, c.runs):
        own_page = run.folder.resolve() == page_folder.resolve()
        names: tuple[str, ...] = ("config.yaml", "manifest.json", "metrics.csv", "returns.csv", "signals.csv")
        names = names if own_page else ("index.html", *names)
        files = [_link(n, run.folder / n, page_folder) for n in names if (run.folder / n).is_file()]
        head = f"Run <b>{escape(tag)}</b> ({escape(str(run.folder))})" if len(c.runs) > 1 else "This run"
        out.append(f"<p>{head}: {' · '.join(files)}</p>")
    return "".join(out)


def _link(text: str, target: Path, page_folder: Path) -> str:
    # quoted: a folder named "a#b" or "50%" is a path, not a fragment or an escape
    return f'<a href="{escape(quote(relative_link(target, page_folder)))}">{escape(text)}</a>'


CSS = f"""
:root {{ --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f7f8fa; --accent:#2f6fb0; }}
* {{ box-sizing:border-box; }}
body {{ margin:0; font-family:{FONT}; color:var(--ink); background:var(--bg); font-size:14px; line-height:1.45; }}
header, main, footer {{ max-width:1240px; margin:0 auto; padding:0 24px; }}
header {{ padding-top:20px; }}
h1 {{ font-size:24px; margin:8px 0 4px; }}
h2 {{ font-size:18px; margin:0 0 6px; }}
h3 {{ font-size:14px; margin:0 0 4px; font-weight:600; }}
.sub {{ color:var(--muted); margin:2px 0; }}
nav {{ margin:12px 0 4px; display:flex; flex-wrap:wrap; gap:6px; }}
nav a {{ padding:4px 10px; border:1px solid var(--line); border-radius:14px; background:#fff; color:var(--accent);
  text-decoration:none; font-size:13px; }}
nav a:hover {{ border-color:var(--accent); }}
section {{ background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 18px; margin:14px 0; }}
.note {{ color:var(--muted); margin:0 0 10px; font-size:13px; }}
.muted {{ color:var(--muted); font-weight:400; }}
.synthetic {{ background:#fff3cd; border:2px solid #e0a800; color:#6b4e00; padding:10px 14px; border-radius:6px;
  font-weight:600; }}
.callout {{ background:#eaf2fb; border-left:4px solid var(--accent); padding:8px 12px; margin:8px 0; border-radius:4px; }}
.chip {{ display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:6px; vertical-align:0; }}
table {{ border-collapse:collapse; font-variant-numeric:tabular-nums; }}
table.metrics {{ width:100%; font-size:13px; }}
table.metrics th, table.metrics td {{ padding:6px 7px; border-bottom:1px solid var(--line); text-align:right;
  white-space:nowrap; }}
table.metrics thead th {{ white-space:normal; vertical-align:bottom; min-width:62px; }}
table.metrics th.name, table.metrics tbody th {{ text-align:left; }}
table.metrics thead th {{ cursor:pointer; user-select:none; background:#f1f3f6; font-weight:600; }}
table.metrics thead th:hover {{ background:#e4e8ee; }}
table.metrics thead th[aria-sort] {{ background:#dde5f0; }}
.dir {{ color:var(--muted); font-weight:400; }}
table.metrics tbody th {{ font-weight:600; white-space:normal; min-width:160px; max-width:260px; }}
tr.bench th, tr.bench td {{ background:#f6f7f9; font-style:italic; }}
td.best, .best-key {{ background:#d9f0df !important; font-weight:700; color:#14532d; }}
.best-key {{ padding:0 4px; border-radius:3px; }}
.scroll {{ overflow-x:auto; }}
table.calendar {{ font-size:13px; }}
table.calendar th, table.calendar td {{ padding:4px 10px; border-bottom:1px solid #fff; text-align:right;
  min-width:90px; }}
table.calendar thead th {{ background:#f1f3f6; font-weight:600; vertical-align:bottom; white-space:normal;
  max-width:150px; }}
table.calendar tbody th {{ text-align:left; min-width:60px; }}
table.calendar td small {{ display:block; color:#3e4c59; font-size:11px; }}
table.calendar td.bench {{ background:#f1f3f6; }}
table.calendar tr.total td, table.calendar tr.total th {{ border-top:2px solid var(--line); background:#fff; }}
.partial {{ color:var(--muted); }}
.cards {{ display:grid; grid-template-columns:repeat(auto-fill, minmax(260px, 1fr)); gap:12px; }}
.card {{ border:1px solid var(--line); border-top:4px solid; border-radius:6px; padding:10px 12px; }}
.card-title {{ font-weight:700; margin-bottom:4px; }}
.verdict {{ margin-bottom:6px; }}
.verdict.ahead b {{ color:#1a7f3c; }} .verdict.behind b {{ color:#b42318; }}
.card dl {{ display:grid; grid-template-columns:auto 1fr; gap:2px 10px; margin:0; font-size:13px; }}
.card dt {{ color:var(--muted); }} .card dd {{ margin:0; font-variant-numeric:tabular-nums; }}
.card dd span {{ color:var(--muted); }}
.chart {{ width:100%; min-height:200px; }}
/* min(): on a screen narrower than two charts, one chart as wide as the screen, never wider */
.weights-grid {{ display:grid; grid-template-columns:repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap:10px 18px; }}
/* a century of switches needs the page's width to be told apart */
.weights-grid.wide {{ grid-template-columns:1fr; }}
.decade-grid {{ display:grid; grid-template-columns:repeat(auto-fit, minmax(min(560px, 100%), 1fr)); gap:12px 18px;
  margin-bottom:10px; }}
/* narrower than 10 figures side by side (a phone): the grid scrolls in its box rather than overprint */
table.decades {{ font-size:12px; width:100%; min-width:540px; table-layout:fixed; }}
table.decades th, table.decades td {{ padding:2px 3px; border:1px solid #fff; text-align:right; white-space:nowrap; }}
table.decades thead th {{ background:#f1f3f6; font-weight:600; color:var(--muted); }}
table.decades tbody th {{ text-align:left; width:48px; color:var(--muted); font-weight:600; }}
table.decades td small {{ display:block; color:#3e4c59; font-size:10px; }}
table.decades td.bench {{ background:#f1f3f6; }}
table.files th {{ text-align:left; padding:4px 12px 4px 0; font-weight:600; }}
table.files td {{ padding:4px 0; }}
a {{ color:var(--accent); }}
footer {{ color:var(--muted); font-size:12px; padding-bottom:30px; }}
.sub, .note, .callout, table.files {{ overflow-wrap:anywhere; }}
details.note summary {{ cursor:pointer; }}
dl.definitions {{ display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:6px 0 0; }}
dl.definitions dt {{ font-weight:600; color:var(--ink); }} dl.definitions dd {{ margin:0; }}
.hindsight-mark {{ display:inline-block; margin-left:4px; padding:0 4px; border-radius:3px; background:#fde8e6;
  border:1px solid #e8a49c; color:#8a1c12; font-size:10px; font-weight:700; font-style:normal; letter-spacing:.04em;
  vertical-align:1px; cursor:help; }}
.hindsight-callout {{ background:#fdf1f0; border-left-color:#c0392b; }}
.hindsight-callout ul {{ margin:4px 0 0; padding-left:20px; }}
.card.hindsight {{ border-style:dashed; border-top-style:solid; background:#fffafa; }}
.hindsight-note {{ color:#8a1c12; font-size:12px; margin:0 0 6px; }}
.vintage-note {{ color:#6b5d2e; font-size:12px; margin:0 0 6px; font-style:italic; }}
tr.hindsight th, tr.hindsight td {{ background:repeating-linear-gradient(135deg, #fff, #fff 6px, #fbf1f0 6px,
  #fbf1f0 12px); }}
@media (max-width: 600px) {{
  header, main, footer {{ padding:0 10px; }}
  section {{ padding:12px 10px; }}
  table.metrics tbody th {{ min-width:120px; }}
}}
"""

SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('rotsim-data').textContent);
  var config = {displaylogo: false, responsive: true, displayModeBar: 'hover',
    modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
    toImageButtonOptions: {format: 'png', scale: 2}};
  function resolve(trace) {
    if (typeof trace.x === 'string' && trace.x.charAt(0) === '@') trace.x = data.axes[trace.x.slice(1)];
    return trace;
  }
  var divs = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  var drawn = divs.map(function (div) {
    var fig = data.figures[div.getAttribute('data-chart')];
    // a tick a decade where a label has about 60 px; a phone gets one every 20 years
    var x = fig.layout.xaxis;
    if (x && x.nticks) x.nticks = Math.max(3, Math.min(x.nticks, Math.floor(div.clientWidth / 60)));
    return Plotly.newPlot(div, fig.data.map(resolve), fig.layout, config);
  });
  // zooming one time chart zooms them all: they share dates
  var syncing = false;
  function follow(source) {
    source.on('plotly_relayout', function (ev) {
      if (syncing) return;
      var update = null;
      if (ev['xaxis.autorange']) update = {'xaxis.autorange': true};
      else if (ev['xaxis.range[0]'] !== undefined) update = {'xaxis.range': [ev['xaxis.range[0]'], ev['xaxis.range[1]']]};
      else if (ev['xaxis.range']) update = {'xaxis.range': ev['xaxis.range']};
      if (!update) return;
      syncing = true;
      Promise.all(divs.filter(function (d) { return d !== source; }).map(function (d) {
        return Plotly.relayout(d, update);
      })).then(function () { syncing = false; }, function () { syncing = false; });
    });
  }
  Promise.all(drawn).then(function () {
    divs.forEach(follow);
    document.body.setAttribute('data-charts-ready', String(divs.length));
  });

  // sortable metrics table: the first click on a column puts its best value on top
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener('click', function () {
        var better = th.getAttribute('data-better');
        var first = better === 'low' || th.getAttribute('data-sort') === 'text' ? 'ascending' : 'descending';
        var dir = th.getAttribute('aria-sort') === first ? (first === 'ascending' ? 'descending' : 'ascending') : first;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var sign = dir === 'ascending' ? 1 : -1;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[i].getAttribute('data-v'), y = b.cells[i].getAttribute('data-v');
          if (th.getAttribute('data-sort') === 'text') return sign * x.localeCompare(y);
          if (x === '') return 1;
          if (y === '') return -1;  // missing values last either way
          return sign * (parseFloat(x) - parseFloat(y));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
"""
