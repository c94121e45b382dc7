"""sweep.html: a parameter sweep's page, self-contained (plotly.js inlined), with its overfitting ledger.

A plateau or a lucky spike? The heatmap shows a metric over any two swept
parameters (the others fixed at the default's values, or averaged over), the
histogram where the default and the benchmark sit among all variants, and the
growth chart the default, the best and the median variant against the
benchmark. The ledger follows, each figure with its sentence in plain words:
the deflated Sharpe ratio, PBO with its in-sample vs out-of-sample picture,
Hansen's SPA test and the walk-forward curve.

The page holds one row per variant (parameters and metrics: 10,000 variants
are about a megabyte) and the daily returns of four lines only, never every
variant's curve. The heatmap and the histogram are drawn in the browser from
those rows, so switching parameters or metric needs no other file. Every
string is HTML-escaped where it is written (plotly reads markup in names too);
the JSON holds no "<".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..engine.metrics import COLUMNS
from ..reports.console import PERCENT, format_metric
from .charts import FONT, axes, growth_chart, line_styles
from .html_page import CSS, html_document
from .tables import BETTER

if TYPE_CHECKING:
    from ..sweep.ledger import Ledger

__all__ = ["curve_ids", "render_sweep", "write_sweep_page"]

SCATTER_POINTS = 3000  # combinations drawn in the PBO picture at most (every one is in the histogram)
LOGIT_BINS = 40
PICK_COLOUR, DEFAULT_COLOUR, BENCH_COLOUR = "#2f6fb0", "#e15759", "#3d4148"


def write_sweep_page(
    path: Path,
    table: pd.DataFrame,
    returns: pd.DataFrame,
    benchmark: pd.Series,
    ledger: Ledger,
    *,
    default: str,
    metric: str,
    params: Sequence[str],
    title: str,
) -> None:
    """Write sweep.html to ``path``.

    Requires ``table`` indexed by variant id with the swept ``params``, the
    metrics of metrics.csv and ``rank`` (1 the best by ``metric``);
    ``returns`` (dates x variant ids) and ``benchmark`` on the same dates;
    ``ledger`` from :func:`simulator.sweep.ledger.overfitting_ledger` of them;
    ``default`` a variant id.
    """
    page = render_sweep(table, returns, benchmark, ledger, default=default, metric=metric, params=params, title=title)
    path.write_text(page, encoding="utf-8")


def curve_ids(table: pd.DataFrame, default: str) -> tuple[str, str, str]:
    """The variants whose equity curves the page draws: the default, the best and the median by rank."""
    order = table.sort_values("rank", kind="stable").index if "rank" in table.columns else table.index
    return str(default), str(order[0]), str(order[(len(order) - 1) // 2])


def render_sweep(
    table: pd.DataFrame,
    returns: pd.DataFrame,
    benchmark: pd.Series,
    ledger: Ledger,
    *,
    default: str,
    metric: str,
    params: Sequence[str],
    title: str,
) -> str:
    """The whole page as one HTML string (see :func:`write_sweep_page`)."""
    params = [p for p in params if p in table.columns]
    metric_keys = [c for c in table.columns if c not in params and c != "rank" and _numeric(table[c])]
    _, best, median = curve_ids(table, default)
    lines = _lines(str(default), best, median)
    bench_label = ledger.benchmark
    column = {str(c): c for c in returns.columns}  # ids as the page shows them -> the returns' own labels
    frame = pd.DataFrame({label: returns[column[vid]] for label, vid in lines.items()})
    frame[bench_label] = benchmark.to_numpy()
    styles = line_styles(list(lines), bench_label)
    figures: dict[str, Any] = {
        "growth": growth_chart(frame, bench_label, styles),
        "pbo-logits": _logit_figure(ledger),
        "pbo-scatter": _pbo_scatter(ledger),
    }
    wf = ledger.walk_forward
    data_axes = axes(frame)
    if len(wf.returns):
        wf_frame = pd.DataFrame(
            {
                "walk-forward": wf.returns,
                f"default ({default})": wf.default_returns,
                bench_label: wf.benchmark_returns,
            }
        )
        wf_styles = line_styles(["walk-forward", f"default ({default})"], bench_label)
        figures["walk-forward"] = growth_chart(wf_frame, bench_label, wf_styles)
        for trace in figures["walk-forward"]["data"]:
            trace["x"] = "@oos"
        data_axes["oos"] = axes(wf_frame)["daily"]
    data = {
        "axes": data_axes,
        "figures": figures,
        "sweep": {
            "ids": [str(i) for i in table.index],
            "params": {p: _values(table[p]) for p in params},
            "metrics": {m: _values(table[m]) for m in metric_keys},
            "names": {m: COLUMNS.get(m, m) for m in metric_keys},
            "percent": [m for m in metric_keys if m in PERCENT],
            "lower_better": [m for m in metric_keys if BETTER.get(m) == -1],
            "default": default,
            "benchmark": bench_label,
            "benchmark_metrics": {m: _number(ledger.benchmark_metrics.get(m)) for m in metric_keys},
        },
    }
    body = f"""
<header>
  <h1>{escape(title)}</h1>
  <p class="sub">{len(table):,} variants over {", ".join(escape(p) for p in params) or "no swept parameter"} ·
  {ledger.start:%Y-%m-%d} to {ledger.end:%Y-%m-%d} ({ledger.days:,} trading days) · benchmark
  <b>{escape(bench_label)}</b> · ranked by {escape(COLUMNS.get(metric, metric))}</p>
  <nav>{_nav()}</nav>
</header>
<main>
<section id="ledger"><h2>Skill or luck? The overfitting ledger</h2>
  <p class="note">Each figure asks whether the best of these variants would have been found without hindsight.
  The default is <b>{escape(default)}</b>; the best by {escape(COLUMNS.get(metric, metric))} is <b>{escape(best)}</b>.</p>
  {_cards(ledger)}</section>
<section id="heatmap"><h2>A plateau or a spike?</h2>
  <p class="note">The chosen metric over two swept parameters. A broad region of similar colour is a plateau: the
  result does not hang on the exact numbers. A lone bright cell among dull ones is a spike, likely luck. The other
  parameters are either fixed at the default variant's values or averaged over (each cell then the mean of every
  variant with those two values). The default's cell is ringed.</p>
  {_controls(params, metric_keys, metric)}
  <div class="chart" data-chart="heatmap" data-dynamic="1"></div></section>
<section id="distribution"><h2>Where the default sits among all variants</h2>
  <p class="note">How the chosen metric spreads across every variant; the lines mark the default variant and the
  benchmark. A default far out in the right tail was probably picked with hindsight.</p>
  <div class="chart" data-chart="distribution" data-dynamic="1"></div></section>
<section id="growth"><h2>Growth of $1: default, best and median variant</h2>
  <p class="note">The default variant, the best and the median by {escape(COLUMNS.get(metric, metric))}, and the
  benchmark, after costs, on a log scale. The best's curve is the one chosen with hindsight: the ledger above says
  how much of its lead to believe.</p>
  <div class="chart" data-chart="growth"></div></section>
<section id="pbo"><h2>In sample vs out of sample (PBO)</h2>
  <p class="note">{escape(ledger.pbo.sentence())}</p>
  <div class="pair"><div><h3>Where the in-sample best ranked out of sample</h3>
  <p class="note">The logit of its relative rank among all variants on the unseen half, for each split: right of
  0, above the median variant; left of 0, below. PBO is the share left of 0 (0 included).</p>
  <div class="chart" data-chart="pbo-logits"></div></div>
  <div><h3>Its {escape(COLUMNS.get(ledger.pbo.metric, ledger.pbo.metric))} in sample and out of sample</h3>
  <p class="note">One dot per split{_subsample_note(ledger)}. Dots that fall away to the right, high in sample
  and low out of sample, are what overfitting looks like.</p>
  <div class="chart" data-chart="pbo-scatter"></div></div></div></section>
<section id="walk-forward"><h2>Walk-forward: choosing without hindsight</h2>
  <p class="note">{escape(wf.sentence())}</p>
  {'<div class="chart" data-chart="walk-forward"></div>' if "walk-forward" in figures else ""}
  {_windows_table(ledger)}</section>
</main>
<footer>Made by rotsim from the sweep's returns; opens offline. Methods: {escape(_methods(ledger))}</footer>
"""
    return html_document(title, body, data, CSS + SWEEP_CSS, SCRIPT)


def _lines(default: str, best: str, median: str) -> dict[str, str]:
    """Legend label -> variant id; one line per variant, its roles joined when one variant has several."""
    roles: dict[str, list[str]] = {}
    for role, vid in (("default", default), ("best", best), ("median", median)):
        roles.setdefault(vid, []).append(role)
    return {f"{' = '.join(r)} ({vid})": vid for vid, r in roles.items()}


def _cards(ledger: Ledger) -> str:
    d, p, s, wf = ledger.deflated, ledger.pbo, ledger.spa, ledger.walk_forward
    cards = [
        ("Variants tried", f"{ledger.variants:,}", "Every variant counts as a trial, kept or not.", ""),
        ("Deflated Sharpe ratio", _pct(d.probability), d.sentence(), "dsr"),
        ("Probability of backtest overfitting", _pct(p.probability), p.sentence(), "pbo"),
    ]
    if s is not None:
        cards.append(("Hansen's SPA p-value", f"{s.consistent:.3f}", s.sentence(), "spa"))
    else:
        cards.append(
            ("Hansen's SPA p-value", "–", "The SPA test was not run (no bootstrap resamples asked for).", "spa")
        )
    wf_value = format_metric(wf.metric, wf.value) if wf.windows else "–"
    cards.append((f"Walk-forward {COLUMNS.get(wf.metric, wf.metric)}", wf_value, wf.sentence(), "wf"))
    return (
        '<div class="ledger">'
        + "".join(
            f'<div class="figure" data-figure="{key}"><div class="figure-title">{escape(name)}</div>'
            f'<div class="figure-value">{escape(value)}</div><p>{escape(sentence)}</p></div>'
            for name, value, sentence, key in cards
        )
        + "</div>"
    )


def _controls(params: Sequence[str], metrics: Sequence[str], metric: str) -> str:
    def options(values: Sequence[str], chosen: str, names: Mapping[str, str] | None = None) -> str:
        return "".join(
            f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape((names or {}).get(v, v))}</option>'
            for v in values
        )

    x = params[0] if params else ""
    y = params[1] if len(params) > 1 else x
    return (
        '<div class="controls">'
        f'<label>metric <select id="sweep-metric">{options(metrics, metric, COLUMNS)}</select></label>'
        f'<label>across <select id="heat-x">{options(params, x)}</select></label>'
        f'<label>up <select id="heat-y">{options(params, y)}</select></label>'
        '<span class="mode">others: <label><input type="radio" name="heat-mode" value="fixed" checked> at the '
        'default\'s values</label> <label><input type="radio" name="heat-mode" value="mean"> averaged</label></span>'
        "</div>"
    )


def _logit_figure(ledger: Ledger) -> dict[str, Any]:
    logits = ledger.pbo.logits[np.isfinite(ledger.pbo.logits)]
    if not len(logits):
        return _empty("no splits: too few days or variants")
    edges = np.histogram_bin_edges(logits, bins=LOGIT_BINS)
    counts, _ = np.histogram(logits, bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2.0
    colours = [DEFAULT_COLOUR if c <= 0 else PICK_COLOUR for c in centres]
    trace = {
        "type": "bar",
        "x": [round(float(c), 4) for c in centres],
        "y": counts.tolist(),
        "width": float(edges[1] - edges[0]),
        "marker": {"color": colours},
        "name": "splits",
        "hovertemplate": "logit %{x:.2f}: %{y} splits<extra></extra>",
    }
    layout = _layout(300, "logit of the out-of-sample relative rank", "splits")
    layout["shapes"] = [_vline(0.0, BENCH_COLOUR)]
    layout["showlegend"] = False
    return {"data": [trace], "layout": layout}


def _pbo_scatter(ledger: Ledger) -> dict[str, Any]:
    p = ledger.pbo
    keep = np.isfinite(p.in_sample) & np.isfinite(p.out_of_sample)
    x, y = p.in_sample[keep], p.out_of_sample[keep]
    if not len(x):
        return _empty("no splits: too few days or variants")
    step = max(1, math.ceil(len(x) / SCATTER_POINTS))  # every step-th split: an even thinning, no random draw
    x, y = x[::step], y[::step]
    fmt = ".1%" if p.metric in PERCENT else ".2f"
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": np.round(x, 5).tolist(),
        "y": np.round(y, 5).tolist(),
        "marker": {"size": 4, "color": PICK_COLOUR, "opacity": 0.45},
        "name": "splits",
        "hovertemplate": f"in sample %{{x:{fmt}}}<br>out of sample %{{y:{fmt}}}<extra></extra>",
    }
    layout = _layout(300, "in sample (the pick's)", "out of sample (same variant)")
    layout["xaxis"]["tickformat"] = layout["yaxis"]["tickformat"] = fmt
    layout["showlegend"] = False
    return {"data": [trace], "layout": layout}


def _windows_table(ledger: Ledger) -> str:
    wf = ledger.walk_forward
    if not wf.windows:
        return ""
    rows = "".join(
        f"<tr><td>{w.train_start:%Y-%m-%d} – {w.train_end:%Y-%m-%d}</td><td>{w.test_start:%Y-%m-%d} – "
        f"{w.test_end:%Y-%m-%d}</td><td class=text>{escape(w.chosen)}</td><td>{format_metric(wf.metric, w.train_value)}"
        f"</td><td>{format_metric(wf.metric, w.test_value)}</td></tr>"
        for w in wf.windows
    )
    name = escape(COLUMNS.get(wf.metric, wf.metric))
    return (
        '<details class="note"><summary>The variant chosen in each window</summary><div class="scroll">'
        '<table class="study windows"><thead><tr><th>trained on</th><th>held over</th><th class=text>chosen</th>'
        f"<th>{name} in training</th><th>{name} held</th></tr></thead><tbody>{rows}</tbody></table></div></details>"
    )


def _methods(ledger: Ledger) -> str:
    # each test's own dict: the whole ledger's would be made (walk-forward windows, sentences) for three strings
    parts = [ledger.deflated.to_dict()["method"], ledger.pbo.to_dict()["method"]]
    if ledger.spa is not None:
        parts.append(ledger.spa.to_dict()["method"])
    return "; ".join(parts) + "."


def _subsample_note(ledger: Ledger) -> str:
    n = int(np.sum(np.isfinite(ledger.pbo.in_sample)))
    step = max(1, math.ceil(n / SCATTER_POINTS))
    return f" (every {step}th of {n:,})" if step > 1 else ""


def _layout(height: int, xtitle: str, ytitle: str) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 64, "r": 16, "t": 20, "b": 48},
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {"title": {"text": xtitle}, "gridcolor": "#eceff3", "zerolinecolor": "#c8ccd2"},
        "yaxis": {"title": {"text": ytitle}, "gridcolor": "#eceff3", "zerolinecolor": "#c8ccd2"},
    }


def _vline(x: float, colour: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 1.5, "dash": "dash"},
    }


def _empty(text: str) -> dict[str, Any]:
    layout = _layout(200, "", "")
    layout["annotations"] = [{"text": text, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]
    return {"data": [], "layout": layout}


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column)) and not pd.api.types.is_bool_dtype(column)


def _values(column: pd.Series) -> list[Any]:
    """A column as JSON: numbers (NaN as null) or, for any other kind of value, its text."""
    if _numeric(column):
        return [_number(v) for v in column.to_numpy(dtype=float)]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in column.tolist()]


def _number(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(float(v)) else round(float(v), 6)


def _pct(v: float) -> str:
    return f"{v:.0%}" if math.isfinite(v) else "–"


def _nav() -> str:
    parts = [
        ("ledger", "Ledger"),
        ("heatmap", "Heatmap"),
        ("distribution", "Distribution"),
        ("growth", "Growth"),
        ("pbo", "PBO"),
        ("walk-forward", "Walk-forward"),
    ]
    return " ".join(f'<a href="#{k}">{t}</a>' for k, t in parts)


SWEEP_CSS = """
.ledger { display:grid; grid-template-columns:repeat(auto-fill, minmax(min(280px, 100%), 1fr)); gap:12px; }
.figure { border:1px solid var(--line); border-top:4px solid var(--accent); border-radius:6px; padding:10px 12px; }
.figure-title { font-weight:700; }
.figure-value { font-size:26px; font-weight:700; margin:2px 0 4px; font-variant-numeric:tabular-nums; }
.figure p { margin:0; font-size:13px; color:var(--ink); }
.controls { display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; margin:0 0 8px; font-size:13px; }
.controls select { font:inherit; padding:2px 4px; max-width:100%; }
.pair { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(480px, 100%), 1fr)); gap:10px 18px; }
table.study { font-size:13px; border-collapse:collapse; }
table.study th, table.study td { padding:4px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
table.study thead th { background:#f1f3f6; font-weight:600; }
table.study .text { text-align:left; white-space:normal; overflow-wrap:anywhere; }
"""

# The heatmap and the histogram are drawn here from the variants' rows, again on every change of a control.
SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('rotsim-data').textContent);
  var s = data.sweep;
  var config = {displaylogo: false, responsive: true, displayModeBar: 'hover',
    modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d']};
  var font = {family: getComputedStyle(document.body).fontFamily, size: 12, color: '#1f2933'};
  var def = s.ids.indexOf(s.default);
  // red (worse) through pale yellow to blue (better): ColorBrewer RdYlBu, legible to red-green colour blindness
  var SCALE = [[0, '#d73027'], [0.25, '#fc8d59'], [0.5, '#ffffbf'], [0.75, '#91bfdb'], [1, '#4575b4']];
  function resolve(trace) {
    if (typeof trace.x === 'string' && trace.x.charAt(0) === '@') trace.x = data.axes[trace.x.slice(1)];
    return trace;
  }
  function byId(id) { return document.getElementById(id); }
  function fmt(m) { return s.percent.indexOf(m) >= 0 ? '.1%' : '.2f'; }
  function name(m) { return s.names[m] || m; }
  function levels(p) {  // the distinct values of a parameter, numbers in numeric order
    var seen = {}, out = [];
    s.params[p].forEach(function (v) { var k = String(v); if (!(k in seen)) { seen[k] = 1; out.push(v); } });
    return out.sort(function (a, b) {
      return (typeof a === 'number' && typeof b === 'number') ? a - b : String(a).localeCompare(String(b));
    });
  }
  function heatmap() {
    var m = byId('sweep-metric').value, px = byId('heat-x').value, py = byId('heat-y').value;
    var mode = document.querySelector('input[name=heat-mode]:checked').value;
    var div = document.querySelector('[data-chart=heatmap]');
    var names = Object.keys(s.params);
    if (!names.length) return Plotly.react(div, [], {height: 120, annotations: [{text: 'no swept parameter',
      showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5}]}, config);
    var others = names.filter(function (p) { return p !== px && p !== py; });
    var xs = levels(px), ys = px === py ? [''] : levels(py);
    var sum = ys.map(function () { return xs.map(function () { return 0; }); });
    var count = ys.map(function () { return xs.map(function () { return 0; }); });
    var xi = {}, yi = {};
    xs.forEach(function (v, i) { xi[String(v)] = i; });
    ys.forEach(function (v, i) { yi[String(v)] = i; });
    var values = s.metrics[m];
    for (var i = 0; i < s.ids.length; i++) {
      if (values[i] === null) continue;
      if (mode === 'fixed' && def >= 0 && others.some(function (p) { return s.params[p][i] !== s.params[p][def]; }))
        continue;
      var r = px === py ? 0 : yi[String(s.params[py][i])], c = xi[String(s.params[px][i])];
      sum[r][c] += values[i]; count[r][c] += 1;
    }
    var z = sum.map(function (row, r) { return row.map(function (v, c) { return count[r][c] ? v / count[r][c] : null; }); });
    var low = s.lower_better.indexOf(m) >= 0;
    var labels = function (vs) { return vs.map(String); };
    var traces = [{type: 'heatmap', x: labels(xs), y: labels(ys), z: z, customdata: count,
      colorscale: SCALE, reversescale: low, colorbar: {title: {text: name(m)}, tickformat: fmt(m)},
      hovertemplate: px + ' %{x}' + (px === py ? '' : '<br>' + py + ' %{y}') + '<br>' + name(m) +
        ' %{z:' + fmt(m) + '}<br>%{customdata} variants<extra></extra>', xgap: 1, ygap: 1}];
    if (def >= 0) traces.push({type: 'scatter', mode: 'markers', name: 'default',
      x: [String(s.params[px][def])], y: [px === py ? '' : String(s.params[py][def])],
      marker: {symbol: 'circle-open', size: 18, color: '#1f2933', line: {width: 2.5}},
      hovertemplate: 'default (' + s.default + ')<extra></extra>'});
    var layout = {height: 460, margin: {l: 80, r: 16, t: 16, b: 56}, font: font, showlegend: false,
      // level labels while they fit, else turned vertical so neighbours cannot overlap (a phone, a long grid)
      xaxis: {title: {text: px}, type: 'category', automargin: true,
        tickangle: div.clientWidth / Math.max(xs.length, 1) < 90 ? -90 : 0},
      yaxis: {title: {text: px === py ? '' : py}, type: 'category', automargin: true}};
    div.setAttribute('data-x', px); div.setAttribute('data-y', py); div.setAttribute('data-metric', m);
    div.setAttribute('data-mode', mode);
    return Plotly.react(div, traces, layout, config);
  }
  function distribution() {
    var m = byId('sweep-metric').value;
    var div = document.querySelector('[data-chart=distribution]');
    var values = s.metrics[m].filter(function (v) { return v !== null; });
    var shapes = [], notes = [];
    function mark(x, text, colour) {
      if (x === null || x === undefined) return;
      shapes.push({type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1,
        line: {color: colour, width: 2, dash: 'dash'}});
      notes.push({x: x, y: 1, xref: 'x', yref: 'paper', yanchor: 'bottom', text: text, showarrow: false,
        font: {color: colour, size: 12}});
    }
    if (def >= 0) mark(s.metrics[m][def], 'default', '#e15759');
    mark(s.benchmark_metrics[m], s.benchmark, '#3d4148');
    var layout = {height: 320, margin: {l: 64, r: 16, t: 28, b: 48}, font: font, showlegend: false, bargap: 0.04,
      shapes: shapes, annotations: notes,
      xaxis: {title: {text: name(m)}, tickformat: fmt(m)}, yaxis: {title: {text: 'variants'}}};
    return Plotly.react(div, [{type: 'histogram', x: values, marker: {color: '#4e79a7'}, name: 'variants',
      hovertemplate: name(m) + ' %{x}<br>%{y} variants<extra></extra>'}], layout, config);
  }
  function redraw() { return Promise.all([heatmap(), distribution()]); }
  ['sweep-metric', 'heat-x', 'heat-y'].forEach(function (id) { byId(id).addEventListener('change', redraw); });
  document.querySelectorAll('input[name=heat-mode]').forEach(function (el) { el.addEventListener('change', redraw); });
  var fixed = Array.prototype.slice.call(document.querySelectorAll('[data-chart]:not([data-dynamic])'));
  var drawn = fixed.map(function (div) {
    var fig = data.figures[div.getAttribute('data-chart')];
    return Plotly.newPlot(div, fig.data.map(resolve), fig.layout, config);
  });
  Promise.all(drawn.concat([redraw()])).then(function () {
    document.body.setAttribute('data-charts-ready', String(fixed.length + 2));
  });
})();
"""
