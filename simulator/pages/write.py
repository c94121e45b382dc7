"""Write a comparison page: for one finished run (its index.html), or across several runs.

Both read the runs back from their folders (:mod:`.comparison`), so ``rotsim
run`` and ``rotsim compare`` draw the same page from the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..reports.files import package_versions, write_csv, write_manifest
from .comparison import Comparison, Run, compare, load_run
from .html_page import PageInfo, render
from .tables import metric_definitions

if TYPE_CHECKING:
    from ..reports.tearsheet import Drawn

QUANTSTATS_ALL = Path("tearsheets") / "all_strategies.html"
QUANTSTATS_LINK = "quantstats' report of all strategies (50+ more metrics)"


def write_run_page(folder: Path, quantstats: bool | Drawn) -> list[Path]:
    """Write ``index.html`` into a run's results ``folder``; returns the files written.

    Requires the folder's manifest.json, returns.csv and weights/trades files
    already written. With ``quantstats``, also writes quantstats' own report of
    all strategies to tearsheets/all_strategies.html and links it; given what
    the run's tearsheets drew of it (``Drawn``), it takes that where the data is the same.
    """
    run = load_run(folder)
    c = compare([run])
    files: list[Path] = []
    links: list[tuple[str, str]] = []
    if quantstats:
        drawn = None if quantstats is True else quantstats
        _add_quantstats(c, folder, run_report_title(run.name, c.benchmark, c.synthetic), files, links, drawn)
    info = PageInfo(
        title=f"{run.name}: {len(c.labels)} strategies vs {c.benchmark}",
        lines=[_run_line(run)],
        links=links,
    )
    page = folder / "index.html"
    page.write_text(render(c, folder, info), encoding="utf-8")
    return [page, *files]


def write_comparison(
    out: Path, folders: Sequence[Path], tags: Sequence[str] | None = None, quantstats: bool = True
) -> tuple[Comparison, list[Path]]:
    """Compare the runs in ``folders`` and write the page and its tables into ``out`` (an empty folder).

    Sets: index.html, metrics.csv and returns.csv (recomputed on the common
    dates), manifest.json (which runs, which dates and why) and, with
    ``quantstats``, tearsheets/all_strategies.html.
    """
    runs = [load_run(f) for f in folders]
    c = compare(runs, tags)
    files = [write_csv(c.metrics, out / "metrics.csv"), write_csv(c.returns, out / "returns.csv")]
    links = [("metrics.csv (common dates)", "metrics.csv"), ("returns.csv (common dates)", "returns.csv")]
    if quantstats:
        _add_quantstats(c, out, f"{len(runs)} runs compared vs {c.benchmark}" + _synthetic(c.synthetic), files, links)
    files.append(write_manifest(out / "manifest.json", _manifest(c)))
    links.append(("manifest.json", "manifest.json"))
    info = PageInfo(
        title=f"{len(runs)} runs compared: " + ", ".join(c.tags),
        lines=[f"{tag}: {_run_line(r)}" for tag, r in zip(c.tags, runs)],
        links=links,
    )
    page = out / "index.html"
    page.write_text(render(c, out, info), encoding="utf-8")
    return c, [page, *files]


def run_report_title(name: str, benchmark: str, synthetic: bool) -> str:
    """The title of quantstats' report of all strategies of the run ``name``."""
    return f"{name}: all strategies vs {benchmark}" + _synthetic(synthetic)


def _synthetic(synthetic: bool) -> str:
    return " — SYNTHETIC DATA" if synthetic else ""


def _add_quantstats(
    c: Comparison, folder: Path, title: str, files: list[Path], links: list[tuple[str, str]], drawn: Drawn | None = None
) -> None:
    """Write quantstats' report of every strategy into ``folder`` and link it, when it writes one."""
    from ..reports.tearsheet import write_multi_tearsheet

    # one frame, so every strategy and the benchmark are on exactly the same dates
    bench = c.returns[c.benchmark]
    rf = c.risk_free  # quantstats takes one rate for all: the runs' own, unless they differ
    if page := write_multi_tearsheet(
        c.returns[c.labels], bench, folder / QUANTSTATS_ALL, title, c.benchmark, rf=rf, drawn=drawn
    ):
        files.append(page)
        differ = rf is None and any(r.risk_free is not None for r in c.runs)
        link = QUANTSTATS_LINK + ("; its Sharpe and Sortino over rf = 0, as the runs' rates differ" if differ else "")
        links.append((link, QUANTSTATS_ALL.as_posix()))


def _run_line(run: Run) -> str:
    data = run.manifest.get("data") or {}
    desc = (run.manifest.get("config") or {}).get("description") or ""
    created = str(run.manifest.get("created", ""))[:10]
    parts = [desc, f"data: {data.get('source', '?')}", f"run {run.run_id}" + (f" ({created})" if created else "")]
    return " · ".join(p for p in parts if p)


def _manifest(c: Comparison) -> dict[str, Any]:
    hindsight = c.hindsight  # derived from every run's manifest: once, not per row
    return {
        "rotsim_compare": [str(r.folder) for r in c.runs],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": [
            {
                "tag": tag,
                "folder": str(r.folder.resolve()),
                "name": r.name,
                "run_id": r.run_id,
                "synthetic": r.synthetic,
            }
            for tag, r in zip(c.tags, c.runs)
        ],
        "span": {"start": f"{c.start:%Y-%m-%d}", "end": f"{c.end:%Y-%m-%d}", "days": len(c.returns)},
        "span_note": c.span_note,
        "metrics": {
            "risk_free": {tag: r.risk_free_note for tag, r in zip(c.tags, c.runs)},
            "ratios": c.ratio_note,
            "definitions": metric_definitions(c),
        },
        "benchmark": c.benchmark,
        "synthetic": c.synthetic,
        "rows": {
            label: {"run": str(s.run.folder), "label": s.label, "hindsight": hindsight.get(label)}
            for label, s in c.origins.items()
        },
        "packages": package_versions(),
    }
