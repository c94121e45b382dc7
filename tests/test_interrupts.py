"""Ctrl-C, SIGTERM and SIGHUP stop a run alike: exit 128 + signal, nothing written, no folder left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, checkout_env

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")

SLEEPER = '''
import time
from pathlib import Path
import pandas as pd
from simulator import hookimpl, strategy

@strategy(roles=("large_cap",))
def sleeper(data):
    """Hold large caps, after a long think."""
    Path({mark!r}).write_text("thinking")
    time.sleep(600)
    return pd.DataFrame({{"large_cap": 1.0}}, index=data.index)

@hookimpl
def register_strategies(register):
    register(sleeper)
'''


def _config(tmp_path: Path, sleeper: bool = False) -> Path:
    books = "  - {name: static_weights, label: Large, params: {weights: {large_cap: 1.0}}}\n"
    books += "  - {name: static_weights, label: Half, params: {weights: {large_cap: 0.5, small_cap: 0.5}}}\n"
    plugins = ""
    if sleeper:
        (tmp_path / "sleeper_plugin.py").write_text(SLEEPER.format(mark=str(tmp_path / "thinking")))
        books += "  - {name: sleeper}\n"
        plugins = "plugins: [sleeper_plugin.py]\n"
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: sig\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        + plugins
        + "strategies:\n"
        + books
        + "report: {tearsheets: true}\n"
    )
    return cfg


def _start(cfg: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "run", str(cfg), "--out", str(out)],
        cwd=ROOT,
        env=checkout_env({"COLUMNS": "200", "ROTSIM_DATA_DIR": None}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: a group signal reaches it and its workers, not pytest
        preexec_fn=_as_from_a_terminal,
    )


def _as_from_a_terminal() -> None:
    """A user's rotsim starts with the default signal handling.

    The suite itself may run under nohup or as a background job without job
    control, which start with SIGHUP or SIGINT ignored, and a child inherits
    that: Ctrl-C would then never reach the run under test.
    """
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def _wait_for(proc: subprocess.Popen, found) -> None:  # noqa: ANN001 - () -> bool
    """Poll until ``found()``; fail if the run ends first (a safety limit, not a timing under test)."""
    deadline = time.monotonic() + 600
    while not found():
        if proc.poll() is not None:
            pytest.fail(f"the run ended first ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never got there")
        time.sleep(0.05)


def _in_tearsheets(out: Path, proc: subprocess.Popen):  # noqa: ANN202
    """Writing tearsheets, and (where /proc shows it, on 2 cores or more) with worker processes started."""
    pool = (os.cpu_count() or 1) >= 2 and Path(f"/proc/{proc.pid}/task").is_dir()
    return lambda: any((out / "sig").glob(".rotsim-tmp-*/tearsheets")) and (not pool or len(_children(proc.pid)) >= 2)


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux; elsewhere none are checked)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has ended
    except OSError:
        return False


def _still_alive(pids: list[int], grace: float = 3.0) -> list[int]:
    """Those of ``pids`` alive after ``grace`` seconds.

    A killed process, or multiprocessing's resource tracker (a child too) seeing its parent gone, takes a
    moment to end after the run has exited: seen here alive with an empty cmdline. One that lingers is the bug.
    """
    deadline = time.monotonic() + grace
    while (alive := [p for p in pids if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _stop(proc: subprocess.Popen, sig: signal.Signals, group: bool = False) -> tuple[int, str, list[int]]:
    workers = _children(proc.pid)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=600)
    return proc.returncode, err, workers


@pytest.mark.parametrize(
    "sig, group, earlier",
    [
        (signal.SIGTERM, False, False),  # kill PID
        (signal.SIGINT, True, False),  # Ctrl-C in a terminal: the whole process group, workers too
        (signal.SIGHUP, False, True),  # beside an earlier run of the same config
    ],
)
def test_a_signal_during_tearsheets_leaves_nothing(
    tmp_path: Path, sig: signal.Signals, group: bool, earlier: bool
) -> None:
    """SIGTERM killed the run where it stood (a .rotsim-tmp-* folder of partial files left); SIGINT left out/sig/."""
    out = tmp_path / "out"
    before = {}
    if earlier:
        (out / "sig" / "20200101-000000").mkdir(parents=True)
        (out / "sig" / "20200101-000000" / "metrics.csv").write_text("strategy,cagr\nA,0.1\n")
        before = {p: p.read_bytes() if p.is_file() else None for p in out.rglob("*")}
    proc = _start(_config(tmp_path), out)
    _wait_for(proc, _in_tearsheets(out, proc))
    code, err, workers = _stop(proc, sig, group)
    assert code == 128 + sig, err
    assert f"interrupted ({sig.name}); nothing was written" in err
    assert "Traceback" not in err  # nor do the workers print anything of their own
    if earlier:
        assert {p: p.read_bytes() if p.is_file() else None for p in out.rglob("*")} == before
    else:
        assert not out.exists()  # no .rotsim-tmp-*, and no empty out/ or out/sig/ either
    assert not _still_alive(workers)  # its tearsheet workers stopped with it


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_a_strategy_computes(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    proc = _start(_config(tmp_path, sleeper=True), out)
    _wait_for(proc, (tmp_path / "thinking").exists)
    code, err, _ = _stop(proc, sig)
    assert code == 128 + sig and f"interrupted ({sig.name})" in err and "Traceback" not in err
    assert not out.exists()


# --- the handlers themselves, in this process --------------------------------------------


def test_sigterm_and_sighup_raise_an_interrupt_within_on_termination() -> None:
    from simulator.interrupt import Interrupted, exit_code, on_termination

    before = signal.getsignal(signal.SIGTERM)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with pytest.raises(Interrupted) as got, on_termination():
            signal.raise_signal(sig)
            time.sleep(1)  # the handler runs before this ends
        assert isinstance(got.value, KeyboardInterrupt) and exit_code(got.value) == 128 + sig
    assert signal.getsignal(signal.SIGTERM) is before


def test_an_ignored_sighup_stays_ignored() -> None:
    """`nohup rotsim run ...` must go on when the terminal closes."""
    from simulator.interrupt import on_termination

    saved = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with on_termination():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            signal.raise_signal(signal.SIGHUP)
    finally:
        signal.signal(signal.SIGHUP, saved)


def test_a_signal_during_cleanup_waits_for_it_to_end() -> None:
    from simulator.interrupt import Interrupted, deferred, on_termination

    done = []
    with pytest.raises(Interrupted), on_termination():
        with deferred():
            signal.raise_signal(signal.SIGTERM)
            done.append("cleanup finished")
        time.sleep(1)
    assert done == ["cleanup finished"]
