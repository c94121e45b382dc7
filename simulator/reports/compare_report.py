"""Write a comparison page: for one finished run (its index.html), or across several runs.

Both read the runs back from their folders (:mod:`.compare_data`), so ``rotsim
run`` and ``rotsim compare`` draw the same page from the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from .compare_data import Comparison, Run, compare, load_run
from .compare_page import PageInfo, render
from .files import package_versions, write_csv, write_manifest

QUANTSTATS_ALL = Path("tearsheets") / "all_strategies.html"
QUANTSTATS_LINK = "quantstats' report of all strategies (50+ more metrics; its information ratio is per day)"


def write_run_page(folder: Path, quantstats: bool) -> list[Path]:
    """Write ``index.html`` into a run's results ``folder``; returns the files written.

    Requires the folder's manifest.json, returns.csv and weights/trades files
    already written. With ``quantstats``, also writes quantstats' own report of
    all strategies to tearsheets/all_strategies.html and links it.
    """
    run = load_run(folder)
    c = compare([run])
    files, links = [], []
    if quantstats:
        (folder / QUANTSTATS_ALL).parent.mkdir(parents=True, exist_ok=True)
        if qs_page := _write_quantstats(c, folder / QUANTSTATS_ALL, f"{run.name}: all strategies vs {c.benchmark}"):
            files.append(qs_page)
            links.append((QUANTSTATS_LINK, QUANTSTATS_ALL.as_posix()))
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
        (out / QUANTSTATS_ALL).parent.mkdir(parents=True, exist_ok=True)
        if qs_page := _write_quantstats(c, out / QUANTSTATS_ALL, f"{len(runs)} runs compared vs {c.benchmark}"):
            files.append(qs_page)
            links.append((QUANTSTATS_LINK, QUANTSTATS_ALL.as_posix()))
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


def _write_quantstats(c: Comparison, path: Path, title: str) -> Path | None:
    """quantstats' report of the strategies that differ from the benchmark, or None if none do.

    A strategy identical to the benchmark (100% of it, or a signal that never
    fired) has zero tracking error; quantstats' information ratio then comes
    back as a bare int and its report crashes. rotsim's own page shows it.
    """
    from .tearsheet import write_multi_tearsheet

    bench = c.returns[c.benchmark]
    labels = [label for label in c.labels if (c.returns[label] - bench).abs().max() > 0]
    if not labels:
        return None
    # one frame, so every strategy and the benchmark are on exactly the same dates
    note = " — SYNTHETIC DATA" if c.synthetic else ""
    write_multi_tearsheet(c.returns[labels], bench, path, title + note, c.benchmark)
    return path


def _run_line(run: Run) -> str:
    data = run.manifest.get("data") or {}
    desc = (run.manifest.get("config") or {}).get("description") or ""
    created = str(run.manifest.get("created", ""))[:10]
    parts = [desc, f"data: {data.get('source', '?')}", f"run {run.run_id}" + (f" ({created})" if created else "")]
    return " · ".join(p for p in parts if p)


def _manifest(c: Comparison) -> dict:
    return {
        "rotsim_compare": [str(r.folder) for r in c.runs],
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "runs": [
            {"tag": tag, "folder": str(r.folder.resolve()), "name": r.name, "run_id": r.run_id, "synthetic": r.synthetic}
            for tag, r in zip(c.tags, c.runs)
        ],
        "span": {"start": f"{c.start:%Y-%m-%d}", "end": f"{c.end:%Y-%m-%d}", "days": len(c.returns)},
        "span_note": c.span_note,
        "benchmark": c.benchmark,
        "synthetic": c.synthetic,
        "rows": {label: {"run": str(s.run.folder), "label": s.label} for label, s in c.sources.items()},
        "packages": package_versions(),
    }
