"""A sweep in chunks: an interrupted sweep resumes with only its missing chunks; Dask gives the local results.

The Dask tests start a real ``dask.distributed.LocalCluster`` (worker
processes) and send the sweep to its scheduler's address, as
``--scheduler tcp://HOST:PORT`` does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from conftest import only_run, run_in_process

CONFIG = """\
name: s
data:
  source: sample
  start: 2004-01-02
  end: 2007-12-31
universe:
  large_cap: SPY
  small_cap: IWM
  small_cap_index: ^RUT
benchmark: SPY
engine:
  fees_bps: 5
  lag: 1
  cash_earns: risk_free
strategies:
  - name: small_cap_thrust
    label: x
    params: {threshold: 0.03, hold: 63}
    sweep:
      threshold: {from: 0.010, to: 0.040, step: 0.005}
      hold: [5, 63, 252]
sweep: {chunk_size: 3}
report:
  tearsheets: false
"""
N_VARIANTS, N_CHUNKS = 7 * 3, 7


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _api(config: Path, out: Path, **kw):
    from simulator.config import load_config
    from simulator.pipeline.sweep import execute_sweep
    from simulator.plugins import load_plugins

    return execute_sweep(load_config(config), load_plugins(), out=out, **kw)


def _results(run: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = pd.read_parquet(run / "sweep.parquet")
    files = sorted((run / "sweep" / "returns").glob("chunk-*.parquet"))
    return table, pd.concat([pd.read_parquet(f) for f in files], axis=1)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> Path:
    """The sweep of ``CONFIG`` in this process, the results the others are held equal to (no test writes into it)."""
    tmp = tmp_path_factory.mktemp("local-sweep")
    config = tmp / "c.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    r = run_in_process("sweep", str(config), "--out", str(tmp / "local"), "--workers", "1")
    assert r.returncode == 0, r.stderr
    return only_run(tmp / "local", "s")


def _same(a: Path, b: Path) -> None:
    ta, ra = _results(a)
    tb, rb = _results(b)
    assert len(ta) == N_VARIANTS and ra.shape[1] == N_VARIANTS
    pd.testing.assert_frame_equal(ta, tb, check_exact=True)
    pd.testing.assert_frame_equal(ra, rb, check_exact=True)


def test_an_interrupted_sweep_resumes_with_only_its_missing_chunks(tmp_path, config, local_run):
    said: list[str] = []
    seen: list[int] = []

    def stop_after_two(result):
        seen.append(result.number)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _api(config, tmp_path / "out", workers=2, on_chunk=stop_after_two, said=said.append)
    parent = tmp_path / "out" / "s"
    partial = [p for p in parent.iterdir()]
    assert len(partial) == 1 and partial[0].name.startswith(".sweep-")  # no results folder, the chunks kept
    kept = sorted(p.name for p in (partial[0] / "metrics").glob("chunk-*.parquet"))
    assert len(kept) == 2 and said and f"--resume {partial[0]}" in said[0]
    inode = {name: (partial[0] / "returns" / name).stat().st_ino for name in kept}

    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "out"), "--resume", str(partial[0]))
    assert r.returncode == 0, r.stderr
    run = only_run(tmp_path / "out", "s")
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["sweep"]["chunks"] == {"total": N_CHUNKS, "computed": N_CHUNKS - 2, "resumed": 2}
    for name, ino in inode.items():  # the same files, linked into the results: not computed again
        assert (run / "sweep" / "returns" / name).stat().st_ino == ino
    assert not partial[0].exists()  # the working folder goes once the results hold every chunk
    _same(run, local_run)


def test_resume_refuses_another_sweeps_folder(tmp_path, config):
    def stop(result):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _api(config, tmp_path / "out", workers=1, on_chunk=stop)
    partial = next((tmp_path / "out" / "s").iterdir())
    config.write_text(CONFIG.replace("hold: [5, 63, 252]", "hold: [5, 63]"), encoding="utf-8")
    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "out"), "--resume", str(partial))
    assert r.returncode == 2 and "holds a sweep of another config" in r.stderr, r.stderr
    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "out"), "--resume", str(tmp_path))
    assert r.returncode == 2 and "not the working folder of an interrupted sweep" in r.stderr


def test_without_dask_a_scheduler_is_refused_with_the_extra_to_install(tmp_path, config, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1")
    assert r.returncode == 2 and "pip install rotsim[dask]" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=40
    ) as c:
        yield c


def test_a_sweep_on_a_dask_cluster_equals_the_local_run(tmp_path, config, local_run, cluster):
    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address)
    assert r.returncode == 0, r.stderr
    run = only_run(tmp_path / "dask", "s")
    assert json.loads((run / "manifest.json").read_text())["sweep"]["ran_on"].startswith("dask scheduler tcp://")
    _same(run, local_run)


def test_the_scheduler_from_the_environment(tmp_path, config, local_run, cluster):
    env = {"ROTSIM_DASK_SCHEDULER": cluster.scheduler_address}
    r = run_in_process("sweep", str(config), "--out", str(tmp_path / "dask"), env=env)
    assert r.returncode == 0, r.stderr
    run = only_run(tmp_path / "dask", "s")
    # equal results alone would not show the variable was read: a local sweep gives them too
    ran_on = json.loads((run / "manifest.json").read_text())["sweep"]["ran_on"]
    assert ran_on == f"dask scheduler {cluster.scheduler_address}"
    _same(run, local_run)


def test_a_worker_killed_mid_sweep_costs_no_results(tmp_path, config, local_run, cluster):
    import signal

    clients: list = []
    killed: list[tuple[int, int]] = []  # (pid, tasks it was processing)

    def kill_a_busy_worker(result):
        if killed:
            return
        client = clients[0]
        pids = client.run(os.getpid)
        busy = {w: len(tasks) for w, tasks in client.processing().items() if tasks}
        if not busy:
            return  # nothing running at this moment: wait for the next chunk
        worker = sorted(busy)[0]
        os.kill(pids[worker], signal.SIGKILL)  # a crash: no goodbye to the scheduler
        killed.append((pids[worker], busy[worker]))

    out = _api(
        config,
        tmp_path / "dask",
        scheduler=cluster.scheduler_address,
        chunk_size=1,  # many short tasks: some are running on the worker when it dies
        on_chunk=kill_a_busy_worker,
        on_client=clients.append,
    )
    assert killed and killed[0][1] >= 1
    assert sorted(out.computed) == list(range(1, N_VARIANTS + 1))
    _same(only_run(tmp_path / "dask", "s"), local_run)


def test_a_result_dask_reports_cancelled_is_computed_again(tmp_path, config, local_run, cluster):
    """A result lost with its worker after it finished can come back cancelled ("already forgotten", seen
    when the killed worker above held a finished chunk): the chunk is computed again, no result is lost."""
    from distributed import Future

    clients: list = []
    cancelled: list[int] = []
    seen: list[int] = []

    def cancel_a_finished_chunk_not_yet_taken(result):
        seen.append(result.number)
        if cancelled:
            return
        client = clients[0]
        numbers = {int(key.split("-")[2]): key for key in map(str, client.futures) if key.startswith("rotsim-chunk-")}
        waiting = sorted(n for n in numbers if n not in seen)
        if waiting:
            client.cancel(Future(numbers[waiting[-1]], client))  # as dask cancels a result it lost
            cancelled.append(waiting[-1])

    out = _api(
        config,
        tmp_path / "dask",
        scheduler=cluster.scheduler_address,
        on_chunk=cancel_a_finished_chunk_not_yet_taken,
        on_client=clients.append,
    )
    assert cancelled and seen.count(cancelled[0]) == 1  # cancelled, then computed once again
    assert sorted(out.computed) == list(range(1, N_CHUNKS + 1))
    _same(only_run(tmp_path / "dask", "s"), local_run)


SLOW = '''
import os
import time
import pandas as pd
from simulator import hookimpl, strategy

@strategy(roles=("large_cap", "small_cap"))
def slow_tilt(data, share: float = 0.5):
    """A fixed small-cap share, after a short think while the test wants a sweep slow enough to stop halfway."""
    if os.path.exists({slow!r}):
        time.sleep(0.3)
    return pd.DataFrame({"large_cap": 1.0 - share, "small_cap": share}, index=data.index)

@hookimpl
def register_strategies(register):
    register(slow_tilt)
'''


def test_ctrl_c_keeps_the_written_chunks_and_says_how_to_resume(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT, checkout_env

    # shares 0, 0.05, ..., 1 (the default 0.5 among them) in chunks of 2: counted here from the grid, not by
    # rotsim; the first chunk files are written while most chunks are still to come
    step, chunk_size = 0.05, 2
    variants = round(1.0 / step) + 1
    chunks = -(-variants // chunk_size)
    slow = tmp_path / "slow"  # the variants think while it exists: the resume need not wait
    slow.touch()
    (tmp_path / "slow_plugin.py").write_text(SLOW.replace("{slow!r}", repr(str(slow))))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: s\ndata: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\nplugins: [slow_plugin.py]\n"
        f"strategies:\n  - name: slow_tilt\n    sweep: {{share: {{from: 0.0, to: 1.0, step: {step}}}}}\n"
        f"sweep: {{chunk_size: {chunk_size}}}\nreport: {{tearsheets: false}}\n"
    )
    out = tmp_path / "out"

    def default_signals() -> None:  # as a user's terminal starts it (the suite may run with SIGINT ignored)
        for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)

    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "sweep", str(cfg), "--out", str(out), "--workers", "2"],
        cwd=ROOT,
        env=checkout_env({"COLUMNS": "200", "ROTSIM_DATA_DIR": None}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_signals,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("s/.sweep-*/metrics/chunk-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group, workers included
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    folders = list((out / "s").iterdir())
    assert len(folders) == 1 and folders[0].name.startswith(".sweep-"), folders
    kept = len(list((folders[0] / "metrics").glob("chunk-*.parquet")))
    assert 1 <= kept < chunks and "Traceback" not in err
    assert f"of {chunks} chunks kept in {folders[0]}; continue with --resume {folders[0]}" in err, err
    assert not list(folders[0].rglob(".*.tmp"))  # no half-written file
    slow.unlink()
    r = run_in_process("sweep", str(cfg), "--out", str(out), "--resume", str(folders[0]))
    assert r.returncode == 0, r.stderr
    run = only_run(out, "s")
    assert json.loads((run / "manifest.json").read_text())["sweep"]["chunks"]["resumed"] == kept
    assert len(pd.read_parquet(run / "sweep.parquet")) == variants


def test_cancelled_workers_leave_no_pool_thread_to_race_the_exit(monkeypatch):
    """Ctrl-C: ``cancel`` returns only when the pool's manager thread has ended.

    Still running, it closes its wakeup pipe while the interpreter's exit hook
    (concurrent.futures') may be writing to it: on Python 3.11 a traceback
    ("Bad file descriptor") after "interrupted", now and then under load.
    """
    import time

    from simulator.sweep import local
    from simulator.sweep.run import Chunk

    monkeypatch.setattr(local, "run_chunk", lambda data, chunk: time.sleep(60))  # forked: the workers' too
    chunks = local.LocalChunks(object(), [Chunk(i, (), ()) for i in range(1, 5)], workers=2)  # type: ignore[arg-type]
    chunks.start()
    assert chunks.pool is not None
    manager = chunks.pool._executor_manager_thread
    assert manager is not None and manager.is_alive()
    chunks.cancel()
    assert not manager.is_alive()


FAILS = '''
import pandas as pd
from simulator import hookimpl, strategy

@strategy(roles=("large_cap", "small_cap"))
def picky(data, share: float = 0.5):
    """A fixed small-cap share, but not above 0.8."""
    if share > 0.8:
        raise ValueError("share above 0.8")
    return pd.DataFrame({"large_cap": 1.0 - share, "small_cap": share}, index=data.index)

@hookimpl
def register_strategies(register):
    register(picky)
'''


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_variant_whose_strategy_fails_stops_the_sweep_with_nothing_written(tmp_path, workers):
    (tmp_path / "picky_plugin.py").write_text(FAILS)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: s\ndata: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\nplugins: [picky_plugin.py]\n"
        "strategies:\n  - name: picky\n    sweep: {share: {from: 0.0, to: 1.0, step: 0.1}}\n"
        "sweep: {chunk_size: 2}\nreport: {tearsheets: false}\n"
    )
    r = run_in_process("sweep", str(cfg), "--out", str(tmp_path / "out"), "--workers", workers)
    assert r.returncode == 2, r.stderr
    assert "strategy 'picky'" in r.stderr and "share above 0.8" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


def test_read_returns_gives_every_chunk_side_by_side(local_run):
    from simulator.sweep.chunks import read_returns

    _, want = _results(local_run)  # the chunk files read with pandas
    got = read_returns(local_run / "sweep")
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_names=False)
    some = read_returns(local_run / "sweep", ["v0020", "v0002"])
    assert list(some.columns) == ["v0002", "v0020"]  # in chunk order
    pd.testing.assert_frame_equal(some, want[["v0002", "v0020"]], check_exact=True, check_names=False)
