"""Shared fixtures: the synthetic market, the real data folder, a CLI runner; plugin isolation; the checkout's built-ins."""

from __future__ import annotations

import importlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout, suppress
from pathlib import Path

import pytest

import plugin_isolation
from checkout_builtins import use_checkout_builtins

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The one reason every real-data test skips with: what was looked for, and how to get it.
NO_SHARED_DATA = (
    f"real data folder {SHARED_DATA} not found: these tests read rotsim's real CSV files "
    "(Yahoo, FRED, Ken French; see shared/data/PROVENANCE.md) in place from shared/data beside "
    "the repository; put that folder there to run them"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_data: reads ../shared/data in place; skips without it (fails under CI=true)"
    )
    # Before collection: some modules list the strategies at import.
    use_checkout_builtins()
    hidden = plugin_isolation.installed_plugins()
    os.environ[plugin_isolation.HIDDEN_ENV] = json.dumps(hidden)  # for the rotsim subprocesses
    if not _xdist_controller(config):  # it imports no test and runs none: spared simulator and pandas (a second)
        plugin_isolation.hide_installed_plugins(hidden)


def _xdist_controller(config: pytest.Config) -> bool:
    """Whether this process is pytest-xdist's controller, which hands the tests to its workers (xdist's own test)."""
    distributed = config.getoption("dist", "no") != "no" and bool(config.getoption("tx", None))
    return distributed and not hasattr(config, "workerinput") and not config.getoption("collectonly")


# The session's expensive runs (fixtures below), each read by tests of several modules.
SHARED_RUNS = ("demo_cli_run", "demo_results_2010", "seed_rotations_real")
# What a test module uses to run rotsim or start a process: each call costs seconds.
RUNNERS = ("run_cli", "run_in_process", "run_pytest", "pip_install", "subprocess")
# The longest modules that need no shared run, by their wall seconds on one worker of `python -m pytest`
# (2 cores): most are long for what the signals of _slow_modules_first cannot see (hypothesis'
# examples, tearsheets computed in the test), and the longest of all would otherwise start near the end.
LONGEST = {
    "tests/test_tearsheet_speed.py": 30,
    "tests/test_interrupts.py": 20,
    "tests/test_sweep_chunks.py": 18,
    "tests/test_suite_independence.py": 14.5,
    "tests/test_properties_lookahead.py": 13,
    "tests/test_engine_kernels.py": 11.5,
    "tests/test_century_page.py": 11.5,
    "tests/test_sweep_page.py": 9,
    "tests/test_example_plugin.py": 8,
    "tests/test_sweep_run.py": 8,
}


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_data)
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the order the modules are handed out in
        items[:] = _slow_modules_first(items)


def _slow_modules_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The tests, whole modules at a time, the likely slow modules first.

    pytest-xdist (``--dist loadscope``, pyproject.toml) hands each worker a
    whole module at a time, so a module fixture is made once; with
    ``--no-loadscope-reorder`` it hands them out in this order. First, for
    each shared run (made once for all workers, see ``made_once``), the first
    module that needs it, which makes it; then the modules measured longest
    (``LONGEST``), longest first; then the modules that run rotsim, start
    processes or share a module fixture; then the other modules that read a
    shared run (made by then: no worker waits for another's); then the rest.
    The last modules to start are quick ones, and no worker is left with a
    long one while the other has finished.
    """
    shared: dict[str, set[str]] = {}
    busy: set[str] = set()  # modules that run rotsim, start processes or share a module fixture
    for item in items:
        module = item.nodeid.split("::")[0]
        names = getattr(item, "fixturenames", ())
        shared.setdefault(module, set()).update(f for f in SHARED_RUNS if f in names)
        if any(hasattr(getattr(item, "module", None), n) for n in RUNNERS) or _uses_module_fixture(item):
            busy.add(module)
    claimed: set[str] = set()
    rank: dict[str, float] = {}
    for module, runs in shared.items():  # a maker needs no run another module makes
        if runs and not runs & claimed:
            claimed |= runs
            rank[module] = 0
        else:
            rank[module] = 1.5 if runs else 0.5 if module in LONGEST else 1 if module in busy else 2

    def order(item: pytest.Item) -> tuple[float, float]:
        module = item.nodeid.split("::")[0]
        return rank[module], -LONGEST.get(module, 0)

    return sorted(items, key=order)  # stable: modules stay whole


def _uses_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)  # pytest's record of the fixtures a test uses, with their definitions
    return info is not None and any(d.scope == "module" for defs in info.name2fixturedefs.values() for d in defs)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("real_data"):
        require_shared_data()


def require_shared_data() -> Path:
    """The real data folder; else skip the test, or fail it in CI, where a wrong path must not skip them all."""
    if not (SHARED_DATA / "etf_SPY.csv").is_file():
        if IN_CI:
            pytest.fail(f"CI=true and the real-data tests cannot run: {NO_SHARED_DATA}", pytrace=False)
        pytest.skip(NO_SHARED_DATA)
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def no_network(tmp_path_factory):  # noqa: ANN201
    """No test downloads by accident, or writes to the user's cache.

    Downloads are off (``ROTSIM_OFFLINE=1``, inherited by CLI subprocesses)
    and the cache is a temporary folder; tests of downloads turn them back
    on explicitly, with a fake transport or a local server.
    """
    from simulator.data.providers import transport

    saved_env = {k: os.environ.get(k) for k in ("ROTSIM_OFFLINE", "ROTSIM_CACHE_DIR")}
    saved_get = transport.http_get

    def refuse(url: str, timeout: float = 0) -> bytes:
        raise AssertionError(f"a test tried to download {url}")

    os.environ["ROTSIM_OFFLINE"] = "1"
    os.environ["ROTSIM_CACHE_DIR"] = str(
        _share_across_workers(tmp_path_factory, tmp_path_factory.mktemp("rotsim-cache"))
    )
    transport.http_get = refuse
    yield
    transport.http_get = saved_get
    for k, v in saved_env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def workers_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test run's temporary folder, which every pytest-xdist worker's own folder is below."""
    return tmp_path_factory.getbasetemp().parent


def _share_across_workers(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """``cache``, its NYSE calendar and parsed files kept once for the test run, not once per xdist worker.

    Each worker's cache folder links ``calendars/`` and ``parsed/`` to folders
    all workers share: the calendar (a second to build) and each real CSV file
    are then made once, by whichever process needs them first, worker or
    ``rotsim`` subprocess, and read by the others (both caches write each file
    in one step). Where a link cannot be made, the worker keeps its own.
    """
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = workers_folder(tmp_path_factory)
        for name in ("calendars", "parsed"):
            (shared / f"rotsim-cache-{name}").mkdir(exist_ok=True)
            with suppress(OSError):
                (cache / name).symlink_to(shared / f"rotsim-cache-{name}", target_is_directory=True)
    return cache


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder (a test that asks for it is marked ``real_data``)."""
    return require_shared_data()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):  # noqa: ANN201 - browser.Browser
    """Headless Chromium, one for the process's browser tests (browser.py); skips without it, fails in CI."""
    from browser import Browser, browser_paths

    found = browser_paths()
    if isinstance(found, str):
        if IN_CI:
            pytest.fail(f"browser test cannot run in CI: {found}")
        pytest.skip(found)
    browser = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def sample_market():
    """The synthetic market's benchmark, SPY, on its whole span."""
    from simulator.data.market.alignment import build_market
    from simulator.data.sources.sample import SampleSource

    return build_market(SampleSource(seed=7), [], "SPY")


@pytest.fixture(scope="session")
def registry():
    from simulator.plugins import load_plugins

    return load_plugins()


def checkout_env(env: Mapping[str, str | None] | None = None, root: Path = ROOT) -> dict[str, str]:
    """Every test subprocess's environment: ``os.environ``, ``env`` on top, the checkout first on PYTHONPATH.

    Without it a subprocess started outside the checkout imports whichever
    ``simulator`` is installed (an editable install of another checkout, say),
    and a bug in the code under test goes unseen. A PYTHONPATH in ``env`` (a
    plugin's site folder) follows the checkout; else the inherited one does.
    Every ``subprocess`` call in tests/ passes ``env=checkout_env(...)``
    (test_subprocess_checkout.py checks). A variable set to None in ``env`` is removed.
    """
    full = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
    for k in [k for k in full if k.startswith("PYTEST_XDIST_")]:
        del full[k]  # an xdist worker's own: a pytest the test starts is no worker of this run
    rest = [p for p in full.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p).resolve() != root.resolve()]
    full["PYTHONPATH"] = os.pathsep.join([str(root), *rest])
    return full


# ``python -m simulator.cli``, after hiding the plugins installed in the environment (plugin_isolation.py)
CLI = (
    f"import runpy; runpy.run_path({str(ROOT / 'tests' / 'checkout_builtins.py')!r})['use_checkout_builtins'](); "
    f"runpy.run_path({str(ROOT / 'tests' / 'plugin_isolation.py')!r})['hide_installed_plugins'](); "
    "runpy.run_module('simulator.cli', run_name='__main__', alter_sys=True)"
)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``rotsim`` as a user would, in a subprocess (blind to plugins installed in the environment)."""
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=cwd or ROOT,
        env=checkout_env({"COLUMNS": "200", "ROTSIM_DATA_DIR": None, **(env or {})}),
        capture_output=True,
        text=True,
        timeout=600,
    )


def run_in_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``rotsim`` run by ``simulator.cli.main`` in this process, set up as ``run_cli`` sets up its subprocess.

    For tests of what a command writes, prints and returns: it spares each
    of them a new interpreter and its imports (seconds a run). What only a
    process shows stays with ``run_cli``: signals, the exit status a shell
    sees, the imports at start-up, a new process finding a plugin installed
    on PYTHONPATH (``on_sys_path`` puts an installed plugin on this
    process's path, for the commands that use it once it is found). An
    exception ``main`` lets out propagates and fails the test, as the
    traceback and exit 1 of a subprocess would; ``SystemExit`` (argparse's
    usage errors) becomes the return code, as it would be the exit status.
    """
    from simulator.cli import main

    changes = {"COLUMNS": "200", "ROTSIM_DATA_DIR": None, **(env or {})}
    assert "PYTHONPATH" not in changes, "a package on PYTHONPATH is seen by a new process only: use run_cli"
    out, err = io.StringIO(), io.StringIO()
    with _environment(changes), chdir(cwd or ROOT), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if not isinstance(exc.code, int | None):
                print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess(["rotsim", *args], code, out.getvalue(), err.getvalue())


@contextmanager
def on_sys_path(site: Path) -> Iterator[None]:
    """``site`` first on ``sys.path`` for the block, as PYTHONPATH puts it on a new process's path.

    For ``run_in_process`` with a plugin pip installed into ``site``: its
    entry point is found as a ``rotsim`` process finds it. The modules
    imported from ``site`` are forgotten afterwards: no later test sees them.
    """
    folder = str(site)
    sys.path.insert(0, folder)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(folder)
        for name, module in list(sys.modules.items()):
            if Path(getattr(module, "__file__", None) or "/").is_relative_to(site):
                del sys.modules[name]
        importlib.invalidate_caches()


@contextmanager
def _environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``changes`` (None: removed) for the block, then as it was."""
    saved = {k: os.environ.get(k) for k in changes}
    try:
        for k, v in changes.items():
            _set_env(k, v)
        yield
    finally:
        for k, v in saved.items():
            _set_env(k, v)


def _set_env(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


def only_run(out: Path, name: str) -> Path:
    """The one run folder ``rotsim run`` wrote under ``out/name``."""
    runs = [p for p in (out / name).iterdir() if not p.name.startswith(".")]
    assert len(runs) == 1, runs
    return runs[0]


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], str]) -> tuple[Path, str]:
    """A folder that ``make(folder)`` fills once for the whole test run, and the text ``make`` returned.

    A session fixture is made once a process; under pytest-xdist every
    worker is a process, so a run read by modules on both workers would be
    made twice. The first worker to need it makes it in the folder the
    workers share, under a lock; another that needs it meanwhile waits (the
    run's own worker processes keep the cores busy) and then reads it.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:  # one process: a session fixture is made once
        folder = tmp_path_factory.mktemp(name)
        return folder, make(folder)
    from filelock import FileLock

    shared = workers_folder(tmp_path_factory)
    folder, said = shared / name, shared / f"{name}.said"
    with FileLock(shared / f"{name}.lock"):
        if not said.exists():  # else another worker made it
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            said.write_text(make(folder), encoding="utf-8")
    return folder, said.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_cli_run(tmp_path_factory) -> tuple[Path, str]:
    """`rotsim run configs/demo.yaml` as a user runs it (tearsheets and all): its folder and stdout.

    One run for the whole test run: it is the slowest fixture (quantstats).
    """

    def make(out: Path) -> str:
        proc = run_cli("run", str(ROOT / "configs" / "demo.yaml"), "--out", str(out), cwd=out)
        assert proc.returncode == 0, proc.stderr + proc.stdout
        return proc.stdout

    out, stdout = made_once(tmp_path_factory, "demo-results", make)
    return only_run(out, "demo"), stdout


@pytest.fixture(scope="session")
def demo_results(demo_cli_run) -> Path:
    """The demo's results folder (with index.html)."""
    return demo_cli_run[0]


@pytest.fixture(scope="session")
def demo_results_2010(tmp_path_factory) -> Path:
    """The demo config started in 2010 instead of 2000, without tearsheets (made once for the test run)."""

    def make(tmp: Path) -> str:
        config = tmp / "demo.yaml"
        text = (ROOT / "configs" / "demo.yaml").read_text()
        assert "start: 2000-01-03" in text
        config.write_text(text.replace("start: 2000-01-03", "start: 2010-01-04"))
        proc = run_in_process("run", str(config), "--out", str(tmp / "out"), "--no-tearsheets", cwd=tmp)
        assert proc.returncode == 0, proc.stderr + proc.stdout
        return proc.stdout

    tmp, _ = made_once(tmp_path_factory, "demo-2010", make)
    return only_run(tmp / "out", "demo")


@pytest.fixture(scope="session")
def seed_rotations_real(tmp_path_factory, shared_data: Path) -> Path:
    """`rotsim run configs/seed_rotations.yaml` on the real data, without tearsheets: its results folder.

    One run for the test run, read by every test of that run's files and page (none writes into it).
    """

    def make(out: Path) -> str:
        args = ["run", str(ROOT / "configs" / "seed_rotations.yaml"), "--data-dir", str(shared_data), "--out", str(out)]
        proc = run_in_process(*args, "--no-tearsheets")
        assert proc.returncode == 0, proc.stderr + proc.stdout
        assert [p.name for p in out.iterdir()] == ["seed_rotations"]
        return proc.stdout

    out, _ = made_once(tmp_path_factory, "seed-rotations", make)
    return only_run(out, "seed_rotations")


def pip_install(package: Path, tmp: Path) -> tuple[Path, Path]:
    """Install a plugin package with pip, as a user would, but into a folder of its own.

    Returns (the copy that was built, the site folder). The package is copied
    first because building writes build/ and *.egg-info beside its sources;
    nothing is installed into the running environment. Put the site folder on
    PYTHONPATH and its entry points are found.
    """
    copy = tmp / "build-copy" / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache"))
    site = tmp / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(copy),
        ],
        env=checkout_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return copy, site


def run_pytest(tests: Path, env: dict) -> subprocess.CompletedProcess:
    """Run a plugin package's own tests in a subprocess (rootdir: the package, no cache written).

    They import this checkout's rotsim (after ``env``'s ``PYTHONPATH``), as
    ``run_cli`` does, not whichever checkout the environment installed. With
    pytest alone, as the package's ``test`` extra installs it: the pytest
    plugins of rotsim's own environment are not loaded (hypothesis' imports
    hypothesis, half a second a run, for tests that do not use it).
    """
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tests.parent), str(tests)],
        cwd=tests.parent.parent,
        env=checkout_env({"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env}),
        capture_output=True,
        text=True,
        timeout=600,
    )
