"""Where results go: an unusable destination is refused before any computing; a write that fails keeps nothing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import run_in_process

# its weights leave a mark: if the mark is there, the run computed before refusing
MARKING_PLUGIN = '''
from pathlib import Path
import pandas as pd
from simulator import hookimpl, strategy

@strategy(roles=("large_cap",))
def marking(data):
    """Hold large caps; say so in a file."""
    Path({mark!r}).write_text("computed")
    return pd.DataFrame({{"large_cap": 1.0}}, index=data.index)

@hookimpl
def register_strategies(register):
    register(marking)
'''


def _config(tmp_path: Path, report_out: str | None = None, tearsheets: bool = False, page: bool = False) -> Path:
    """One strategy; with ``page``, a second one, so that the run writes its comparison page last."""
    (tmp_path / "marking_plugin.py").write_text(MARKING_PLUGIN.format(mark=str(tmp_path / "computed.txt")))
    second = "  - {name: static_weights, label: Half, params: {weights: {large_cap: 0.5}}}\n" if page else ""
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: dest\n"
        "data: {source: sample, start: 2010-01-04, end: 2010-12-31}\n"
        "universe: {large_cap: SPY}\n"
        "plugins: [marking_plugin.py]\n"
        "strategies:\n  - {name: marking, label: Marked}\n"
        + second
        + f"report: {{tearsheets: {str(tearsheets).lower()}{f', out: {report_out}' if report_out else ''}}}\n"
    )
    return cfg


def _run(capsys, *args: str) -> tuple[int, str]:
    """``rotsim`` in this process (the heavy imports once for all tests): exit code and stderr."""
    from simulator.cli import main

    code = main(list(args))
    return code, capsys.readouterr().err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- refused before computing: exit 2, the path named, nothing made -------------------


def test_out_that_is_an_existing_file_is_refused_before_computing(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    taken = tmp_path / "taken"
    taken.write_text("mine")
    proc = run_in_process("run", str(cfg), "--out", str(taken))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{taken} is a file" in proc.stderr and str(taken / "dest") in proc.stderr
    assert not (tmp_path / "computed.txt").exists()
    assert taken.read_text() == "mine"


def _below_a_file(t: Path) -> Path:
    (t / "f").write_text("x")
    return t / "f" / "sub"


def _run_name_taken_by_a_file(t: Path) -> Path:
    (t / "o").mkdir()
    (t / "o" / "dest").write_text("x")
    return t / "o"


def _name_too_long(t: Path) -> Path:
    return t / ("n" * 300) / "x"  # a folder no file system can make


@pytest.mark.parametrize(
    "make, shown",
    [
        (_below_a_file, "f is a file"),
        (_run_name_taken_by_a_file, "dest is a file"),
        (_name_too_long, "File name too long"),
    ],
)
def test_out_that_cannot_be_made_is_refused(tmp_path: Path, capsys, make, shown: str) -> None:
    cfg = _config(tmp_path)
    out = make(tmp_path)
    before = _made(tmp_path)
    code, err = _run(capsys, "run", str(cfg), "--out", str(out))
    assert code == 2, err
    assert str(out / "dest") in err and shown in err
    assert not (tmp_path / "computed.txt").exists()
    assert _made(tmp_path) == before  # no folder made, no probe left


def _made(folder: Path) -> list[Path]:
    # what is in the folder, but Python's own cache of the plugin it imported (written unless
    # PYTHONDONTWRITEBYTECODE is set, as it is on some machines and not on most)
    return sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)


def test_report_out_in_the_config_is_checked_too(tmp_path: Path, capsys) -> None:
    (tmp_path / "results").write_text("a file")
    cfg = _config(tmp_path, report_out=str(tmp_path / "results"))
    code, err = _run(capsys, "run", str(cfg))
    assert code == 2 and f"{tmp_path / 'results'} is a file" in err
    assert not (tmp_path / "computed.txt").exists()


def test_a_folder_one_cannot_write_in_is_refused(tmp_path: Path, capsys) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):  # root writes anywhere
            pytest.skip("permissions do not stop this user")
        cfg = _config(tmp_path)
        code, err = _run(capsys, "run", str(cfg), "--out", str(locked / "out"))
        assert code == 2 and str(locked / "out" / "dest") in err and "Permission denied" in err
        assert not (tmp_path / "computed.txt").exists() and not list(locked.iterdir())
    finally:
        locked.chmod(0o755)


def test_a_file_system_that_refuses_folders_is_refused(tmp_path: Path, capsys) -> None:
    """sysfs refuses new folders even to root: a stand-in for a read-only mount."""
    try:
        os.mkdir("/sys/rotsim-probe-test")
    except OSError:
        pass
    else:
        os.rmdir("/sys/rotsim-probe-test")
        pytest.skip("/sys accepts folders here")
    if not Path("/sys").is_dir():
        pytest.skip("no /sys")
    cfg = _config(tmp_path)
    code, err = _run(capsys, "run", str(cfg), "--out", "/sys")
    assert code == 2 and "/sys/dest" in err and "cannot create anything in /sys" in err
    assert not (tmp_path / "computed.txt").exists()


# --- a write that fails part-way: one line, exit 74, nothing kept ----------------------


def _full(path: Path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _fail_on(n: int, write, error=_full):  # noqa: ANN001, ANN202 - a writer (frame, path) -> path
    """``write``, but its ``n``-th call writes half the file and then raises ``error(path)`` (the disk is full)."""
    calls = [0]

    def writer(frame, path: Path) -> Path:  # noqa: ANN001
        calls[0] += 1
        if calls[0] == n:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(frame.to_csv()[:100])
            raise error(path)
        return write(frame, path)

    return writer


def _earlier_run(capsys, cfg: Path, out: Path) -> tuple[Path, dict[str, bytes]]:  # noqa: ANN001
    """A run that succeeded into ``out`` before: its folder and its files' bytes."""
    assert _run(capsys, "run", str(cfg), "--out", str(out))[0] == 0
    (earlier,) = (out / "dest").iterdir()
    return earlier, _tree(earlier)


@pytest.mark.parametrize("n", [1, 3])
def test_a_full_disk_while_writing_tables_keeps_nothing(tmp_path: Path, capsys, monkeypatch, n: int) -> None:
    import simulator.pipeline.execute as run

    cfg = _config(tmp_path)
    out = tmp_path / "out"
    monkeypatch.setattr(run, "write_csv", _fail_on(n, run.write_csv))
    code, err = _run(capsys, "run", str(cfg), "--out", str(out))
    assert code == 74, err
    assert len(err.strip().splitlines()) == 1 and "No space left on device" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert not out.exists()  # not even the empty folders it made


def test_a_full_disk_at_the_manifest_leaves_earlier_runs_untouched(tmp_path: Path, capsys, monkeypatch) -> None:
    import simulator.pipeline.execute as run

    cfg = _config(tmp_path)
    out = tmp_path / "out"
    earlier, kept = _earlier_run(capsys, cfg, out)

    def full(path: Path, manifest: dict) -> Path:
        path.write_text('{"rotsim_run": ')
        raise _full(path)

    monkeypatch.setattr(run, "write_manifest", full)
    code, err = _run(capsys, "run", str(cfg), "--out", str(out))
    assert code == 74 and "manifest.json" in err and "No space left on device" in err
    assert list((out / "dest").iterdir()) == [earlier]
    assert _tree(earlier) == kept


def test_a_full_disk_at_the_comparison_page_keeps_nothing_of_the_run(tmp_path: Path, capsys, monkeypatch) -> None:
    """The page is written last, after every table and the manifest: they go too (74), not just the page (1)."""
    import simulator.pages.write as compare_report

    cfg = _config(tmp_path, page=True)
    out = tmp_path / "out"
    earlier, kept = _earlier_run(capsys, cfg, out)
    assert "index.html" in kept
    written: list[str] = []  # what the failed run had written when the disk filled

    def full(folder: Path, quantstats: bool) -> list[Path]:
        written.extend(_tree(folder))
        (folder / "index.html").write_text("<!DOCTYPE html><html><head>")
        raise _full(folder / "index.html")

    monkeypatch.setattr(compare_report, "write_run_page", full)
    code, err = _run(capsys, "run", str(cfg), "--out", str(out))
    assert code == 74, err
    assert len(err.strip().splitlines()) == 1 and "could not write index.html: No space left on device" in err
    assert {"metrics.csv", "returns.csv", "config.yaml", "manifest.json", "weights/marked.csv"} <= set(written)
    assert list((out / "dest").iterdir()) == [earlier]  # no temporary folder, no second run folder
    assert _tree(earlier) == kept


def test_a_crash_while_writing_leaves_no_temporary_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    """Not a full disk nor bad input but a bug, raised with its traceback: the half-written folder still goes."""
    import simulator.pipeline.execute as run

    cfg = _config(tmp_path)
    out = tmp_path / "out"
    earlier, kept = _earlier_run(capsys, cfg, out)
    monkeypatch.setattr(run, "write_csv", _fail_on(3, run.write_csv, lambda path: RuntimeError(f"bug at {path.name}")))
    with pytest.raises(RuntimeError, match="bug at"):
        _run(capsys, "run", str(cfg), "--out", str(out))
    assert list((out / "dest").iterdir()) == [earlier]
    assert _tree(earlier) == kept


def test_a_full_disk_during_a_tearsheet_is_no_report_failure(tmp_path: Path, capsys, monkeypatch) -> None:
    """The disk, not the report: the run fails as a whole (74), nothing kept, rather than 'written but one report'."""
    import simulator.reports.tearsheet as tearsheet

    def full(returns, benchmark, path: Path, *args) -> None:  # noqa: ANN001
        path.write_text("<html>")
        raise _full(path)

    monkeypatch.setattr(tearsheet, "write_tearsheet", full)
    cfg = _config(tmp_path, tearsheets=True)
    code, err = _run(capsys, "run", str(cfg), "--out", str(tmp_path / "out"))
    assert code == 74 and "tearsheets/marked.html" in err and "No space left on device" in err
    assert not (tmp_path / "out").exists()


def test_a_read_only_file_system_at_config_yaml(tmp_path: Path, capsys, monkeypatch) -> None:
    cfg = _config(tmp_path)
    write_text = Path.write_text

    def refuse(self: Path, *args, **kwargs) -> int:  # noqa: ANN002, ANN003
        if self.name == "config.yaml":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    code, err = _run(capsys, "run", str(cfg), "--out", str(tmp_path / "out"))
    assert code == 74 and "config.yaml" in err and "Read-only file system" in err
    assert not (tmp_path / "out").exists()


# --- the folder itself -----------------------------------------------------------------


def test_checking_a_destination_makes_nothing(tmp_path: Path) -> None:
    from simulator.reports.folder import check_destination

    check_destination(tmp_path / "a" / "b" / "c")
    check_destination(tmp_path)
    assert not list(tmp_path.iterdir())


def test_an_interrupted_results_folder_removes_only_the_folders_it_made(tmp_path: Path) -> None:
    from simulator.reports.folder import results_folder

    (tmp_path / "out").mkdir()
    with pytest.raises(KeyboardInterrupt), results_folder(tmp_path / "out" / "new" / "name", "run") as (tmp, _):
        (tmp / "half.csv").write_text("a,b\n")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.rglob("*")] == ["out"]
