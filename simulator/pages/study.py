"""study.html: a study's page, self-contained (plotly.js inlined), from its tables and manifest.

The claim's verdicts first, then the summary, the average paths after the
events against the baseline's, out of sample, the sensitivity grid, the
period groups and every event. Event sets whose strategy uses the future on
purpose are marked HINDSIGHT as on the comparison page. Every string is
HTML-escaped where it is written; the JSON holds no "<".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, final

import pandas as pd

from .charts import FONT
from .html_page import CSS, html_document
from .tables import hindsight_badge

__all__ = ["StudyPage", "render_study", "write_study_page"]

PERCENT_COLUMNS = {
    "mean", "median", "hit_rate", "baseline_mean", "baseline_hit_rate", "excess_vs_baseline", "ci_low", "ci_high",
    "claimed", "measured", "difference", "all_mean",
}  # fmt: skip
BAND = "rgba(47, 111, 176, 0.18)"
EVENT_LINE, BASE_LINE = "#2f6fb0", "#7b8794"

STUDY_CSS = """
table.study { font-size:13px; border-collapse:collapse; }
table.study th, table.study td { padding:4px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
table.study thead th { background:#f1f3f6; font-weight:600; vertical-align:bottom; }
table.study td.text, table.study th.text { text-align:left; white-space:normal; }
td.reproduced { background:#d9f0df; font-weight:700; } td.different { background:#fde8e6; font-weight:700; }
.paths { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap:10px 18px; }
"""

SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('rotsim-data').textContent);
  var divs = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  Promise.all(divs.map(function (div) {
    var fig = data.figures[div.getAttribute('data-chart')];
    return Plotly.newPlot(div, fig.data, fig.layout, {displaylogo: false, responsive: true, displayModeBar: 'hover'});
  })).then(function () { document.body.setAttribute('data-charts-ready', String(divs.length)); });
})();
"""


@final
@dataclass(frozen=True)
class StudyPage:
    manifest: Mapping[str, Any]
    summary: pd.DataFrame | None
    events: pd.DataFrame | None
    paths: pd.DataFrame | None
    out_of_sample: pd.DataFrame | None
    periods: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    claim: pd.DataFrame | None


def write_study_page(page: StudyPage, path: Path) -> Path:
    path.write_text(render_study(page), encoding="utf-8")
    return path


def render_study(page: StudyPage) -> str:
    m = page.manifest
    hindsight = {label: e["hindsight"] for label, e in m.get("events", {}).items() if e.get("hindsight")}
    hindsight |= m.get("hindsight", {})  # a period study's signal strategy too
    figures: dict[str, Any] = {}
    blocks = [_header(m, hindsight)]
    if page.claim is not None:
        blocks.append(_claim_section(m, page.claim))
    if page.summary is not None:
        blocks.append(_section("summary", "Summary", _table(_marked(page.summary, hindsight)), _summary_note(m)))
    if page.paths is not None and not page.paths.empty:
        charts = []
        for i, ((event, asset), path) in enumerate(page.paths.groupby(["event", "asset"], sort=False)):
            key = f"path-{i}"
            figures[key] = _path_figure(path)
            mark = hindsight_badge(hindsight[event]) if event in hindsight else ""
            heading = f"<h3>{escape(str(event))}{mark} · {escape(str(asset))}</h3>"
            charts.append(f'<div>{heading}<div class="chart" data-chart="{key}"></div></div>')
        note = (
            "Cumulative return from the entry close, averaged over the events whose window reaches each day, with "
            "an approximate band (mean ± 1.96 standard errors over the independent events), against the same "
            "path averaged over every day of the sample (the baseline)."
        )
        blocks.append(
            _section("paths", "Average path after the events", f'<div class="paths">{"".join(charts)}</div>', note)
        )
    if page.out_of_sample is not None:
        oos = _table(_marked(page.out_of_sample, hindsight))
        blocks.append(_section("oos", "Out of sample: events after the publication date", oos))
    if page.sensitivity is not None:
        blocks.append(_section("sensitivity", "Sensitivity", _table(page.sensitivity), _sensitivity_note(page)))
    if page.periods is not None:
        note = "Each period's return close to close; t and p: OLS on the group's dummy, p Holm-adjusted across groups."
        blocks.append(_section("periods", "Periods by group", _table(page.periods), note))
    if page.events is not None:
        note = "Every event; an empty cell is a window that runs past the data (listed, not averaged)."
        blocks.append(_section("events", "Every event", _table(page.events), note))
    blocks.append(_section("method", "Method", _definitions(m.get("method", {}))))
    title = f"Study: {m.get('rotsim_study', '')}"
    return _document(title, f"<main>{''.join(blocks)}</main>", {"figures": figures})


def _header(m: Mapping[str, Any], hindsight: Mapping[str, str]) -> str:
    data = m.get("data", {})
    synthetic = (
        '<div class="synthetic" role="alert">SYNTHETIC DATA: a market generated by rotsim, not history.</div>'
        if data.get("synthetic")
        else ""
    )
    callout = ""
    if hindsight:
        items = "".join(f"<li><b>{escape(k)}</b>: {escape(v)}</li>" for k, v in hindsight.items())
        callout = (
            '<div class="callout hindsight-callout"><b>HINDSIGHT.</b> These event sets use information nobody had '
            f"at the time: they measure what the claim needs, not what a trader could have done.<ul>{items}</ul></div>"
        )
    sample = " to ".join(data.get("sample", []))
    until = f" · events through {escape(str(data['events_until']))}" if data.get("events_until") else ""
    return (
        f"<header><h1>{escape('Study: ' + str(m.get('rotsim_study', '')))}</h1>"
        f'<p class="sub">{escape(str(m.get("description", "")))}</p>'
        f'<p class="sub">Sample {escape(sample)}{until} · benchmark {escape(str(m.get("benchmark", "")))} · '
        f"data: {escape(str(data.get('source', '')))}</p>{synthetic}{callout}</header>"
    )


def _claim_section(m: Mapping[str, Any], claim: pd.DataFrame) -> str:
    c = m.get("config", {}).get("study", {}).get("claim", {}) or {}
    lines = f"<b>Source:</b> {escape(str(c.get('source', '')))} · published {escape(str(c.get('published', '')))}"
    tolerance = f"reproduced = within ±{float(c.get('tolerance', 0)) * 100:.1f} points of the published mean"
    note = f'<p class="note">{escape(str(c["note"]))}</p>' if c.get("note") else ""
    rows = []
    for _, r in claim.iterrows():
        cells = [
            f'<td class="text">{escape(str(r["figure"]))}</td>',
            f'<td class="text">{escape(str(r["asset"]))}</td>',
            f'<td class="text">{escape(str(r["at"]))}</td>',
            f"<td>{_cell('claimed' if r['figure'] != 'events' else 'n', r['claimed'])}</td>",
            f"<td>{_cell('measured' if r['figure'] != 'events' else 'n', r['measured'])}</td>",
            f'<td class="{escape(str(r["verdict"]))}">{escape(str(r["verdict"]))}</td>',
            f'<td class="text">{escape(str(r["versus_baseline"]))}</td>',
            f'<td class="text">{escape(str(r["why"]))}</td>',
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(
        f"<th>{h}</th>" for h in ("figure", "asset", "at", "claimed", "measured", "verdict", "vs baseline", "why")
    )
    table = f'<div class="scroll"><table class="study claim"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    return _section("claim", "Claimed vs measured", f'<p class="sub">{lines}</p>{note}{table}', tolerance)


def _summary_note(m: Mapping[str, Any]) -> str:
    method = m.get("method", {})
    return (
        "Returns as percentages here (fractions in study_summary.csv). n: events with a complete window; "
        "n_independent: events outside an earlier event's window; n_past_data: windows past the data; "
        "n_before_data: events before the asset's first price. " + escape(str(method.get("t_stat", "")))
    )


def _sensitivity_note(page: StudyPage) -> str:
    s = page.manifest.get("config", {}).get("study", {}).get("sensitivity") or {}
    return f"The event count and mean forward return at each value of {escape(str(s.get('param', '')))}: a plateau or a spike."


def _marked(frame: pd.DataFrame, hindsight: Mapping[str, str]) -> pd.DataFrame:
    if not hindsight or "event" not in frame:
        return frame
    # out of sample, an event set is named "<label> after <date>"
    marked = [f"{e} HINDSIGHT" if any(str(e).startswith(h) for h in hindsight) else e for e in frame["event"]]
    return frame.assign(event=marked)


def _section(key: str, title: str, body: str, note: str = "") -> str:
    note_html = f'<p class="note">{note}</p>' if note else ""
    return f'<section id="{key}"><h2>{escape(title)}</h2>{note_html}{body}</section>'


def _table(frame: pd.DataFrame) -> str:
    text = {c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])}
    head = "".join(f"<th{' class=text' if c in text else ''}>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for col, v in zip(frame.columns, values):
            shown = _cell(str(col), v)
            if isinstance(v, str) and v.endswith(" HINDSIGHT"):
                shown = escape(v.removesuffix(" HINDSIGHT")) + hindsight_badge("uses the future on purpose")
            kind = ' class="text"' if col in text else ""
            cells.append(f"<td{kind}>{shown}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<div class="scroll"><table class="study"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _cell(column: str, v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if column in PERCENT_COLUMNS or column.endswith("d"):
            return f"{v * 100:.1f}%"
        return f"{v:.2f}" if column in ("t_stat",) else f"{v:.4g}"
    return escape(str(v))


def _definitions(method: Mapping[str, Any]) -> str:
    items = "".join(f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>" for k, v in method.items())
    return f'<dl class="definitions">{items}</dl>'


def _path_figure(path: pd.DataFrame) -> dict[str, Any]:
    x = [int(d) for d in path["day"]]

    def values(col: str) -> list[float | None]:
        return [None if not math.isfinite(float(v)) else round(float(v), 6) for v in path[col]]

    data: Sequence[dict[str, Any]] = [
        {"x": x, "y": values("high"), "mode": "lines", "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"x": x, "y": values("low"), "mode": "lines", "line": {"width": 0}, "fill": "tonexty", "fillcolor": BAND,
         "name": "band (±1.96 s.e.)", "hoverinfo": "skip"},
        {"x": x, "y": values("mean"), "mode": "lines", "line": {"color": EVENT_LINE, "width": 2}, "name": "after events"},
        {"x": x, "y": values("baseline_mean"), "mode": "lines", "line": {"color": BASE_LINE, "width": 2, "dash": "dash"},
         "name": "baseline (every day)"},
    ]  # fmt: skip
    layout = {
        "font": {"family": FONT, "size": 12},
        "height": 340,
        "margin": {"l": 56, "r": 16, "t": 36, "b": 44},
        "xaxis": {"title": {"text": "trading days after the entry close"}},
        "yaxis": {"tickformat": ".0%", "title": {"text": "cumulative return"}},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "x unified",
    }
    return {"data": list(data), "layout": layout}


def _document(title: str, body: str, data: dict[str, Any]) -> str:
    return html_document(title, body, data, CSS + STUDY_CSS, SCRIPT)
