"""Plugin loading: real broken plugins, each reported with its name and reason, none stopping the others.

Packages are written to a temporary site folder the way pip leaves them
(modules plus ``<dist>-<version>.dist-info`` with ``entry_points.txt``), so
``importlib.metadata`` finds their entry points exactly as for an installed
package; the commands (``rotsim plugins``, ``rotsim strategies``) run in
this process with that folder on ``sys.path``. That a new process finds
packages on PYTHONPATH the same way is test_suite_independence's to check.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.plugins import load_plugins
from simulator.plugins.manager import BAD_REGISTRATION, DUPLICATE, IMPORT_ERROR

from conftest import run_in_process


def _builtins() -> set[str]:
    """The built-in strategies, asked of the package itself rather than the loader under test."""
    import rotsim_strategies

    names: list[str] = []
    rotsim_strategies.register_strategies(register=lambda s: names.append(s.name))
    return set(names)


BUILTINS = _builtins()

GOOD_MODULE = '''
import pandas as pd
from simulator import StrategyInput, hookimpl, strategy

__version__ = "9.9"

@strategy(roles=("large_cap",))
def {name}(data: StrategyInput) -> pd.DataFrame:
    """Buy and hold large caps."""
    return pd.DataFrame({{"large_cap": 1.0}}, index=data.index)

@hookimpl
def register_strategies(register):
    register({name})
'''

# plugin -> (module source, the kind of failure, words of the reason)
BROKEN_PACKAGES = {
    "imports_missing": ("import numpy_but_misspelt\n", IMPORT_ERROR, "No module named 'numpy_but_misspelt'"),
    "raises_on_import": ("raise RuntimeError('no API key set')\n", IMPORT_ERROR, "RuntimeError: no API key set"),
    "registers_a_function": (
        "from simulator import hookimpl\n\n@hookimpl\ndef register_strategies(register):\n    register(len)\n",
        BAD_REGISTRATION,
        "register() takes a Strategy (use @strategy), got builtin_function_or_method",
    ),
    "hook_raises": (
        "from simulator import hookimpl\n\n@hookimpl\ndef register_strategies(register):\n    {}['oops']\n",
        BAD_REGISTRATION,
        "KeyError: 'oops'",
    ),
    "wrong_argument_name": (
        "from simulator import hookimpl\n\n@hookimpl\ndef register_strategies(add):\n    pass\n",
        BAD_REGISTRATION,
        "add",
    ),
    "forgot_hookimpl": (
        "def register_strategies(register):\n    pass\n",
        BAD_REGISTRATION,
        "no register_strategies hook (is the function decorated with @hookimpl?)",
    ),
    "misspelt_hook": (
        "from simulator import hookimpl\n\n@hookimpl\ndef register_strategy(register):\n    pass\n",
        BAD_REGISTRATION,
        "unknown hook(s) register_strategy; rotsim's hooks are: register_strategies",
    ),
    "claims_a_builtin_name": (
        GOOD_MODULE.format(name="static_weights"),
        DUPLICATE,
        "'static_weights' is already registered by plugin builtin",
    ),
}


def write_package(
    site: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str], version: str = "1.0"
) -> None:
    """An installed package as pip leaves it in ``site``."""
    for name, source in modules.items():
        (site / f"{name}.py").write_text(textwrap.dedent(source))
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(f"[rotsim.strategies]\n{lines}")


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A site folder on sys.path; the modules imported from it are forgotten afterwards."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv("ROTSIM_PLUGINS", raising=False)
    monkeypatch.delenv("ROTSIM_DISABLE_PLUGINS", raising=False)
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        del sys.modules[name]


@pytest.fixture()
def broken_site(site: Path) -> Path:
    """Every broken package above, plus two good ones, each its own distribution."""
    for name, (source, _, _) in BROKEN_PACKAGES.items():
        write_package(site, f"rotsim-{name}", {name: f"bad_{name}"}, {f"bad_{name}": source})
    write_package(
        site, "rotsim-good-one", {"good_one": "good_one"}, {"good_one": GOOD_MODULE.format(name="hold_one")}, "2.3"
    )
    write_package(site, "rotsim-good-two", {"good_two": "good_two"}, {"good_two": GOOD_MODULE.format(name="hold_two")})
    return site


@pytest.mark.parametrize("plugin", sorted(BROKEN_PACKAGES))
def test_a_broken_package_is_reported_and_the_others_load(plugin: str, broken_site: Path) -> None:
    registry = load_plugins()
    info = {p.name: p for p in registry.plugins}
    _, kind, reason = BROKEN_PACKAGES[plugin]
    broken = info[plugin]
    assert broken.status == "broken" and broken.strategies == ()
    assert broken.error.startswith(f"{kind}: ") and reason in broken.error, broken.error
    assert broken.distribution == f"rotsim-{plugin}" and broken.version == "1.0"
    assert f"entry point {plugin} = bad_{plugin}" in broken.source
    # nothing stopped the others
    assert {"static_weights", "small_cap_thrust", "hold_one", "hold_two"} <= set(registry.strategies)
    assert registry.strategies["static_weights"].plugin == "builtin"  # never shadowed
    assert info["good_one"].status == "ok" and info["good_one"].version == "2.3"
    assert info["good_one"].strategies == ("hold_one",)
    assert info["good_one"].location == str(broken_site / "good_one.py")


def test_the_builtins_load_first_then_entry_points_by_name_then_files(broken_site: Path, tmp_path: Path) -> None:
    extra = tmp_path / "one_off.py"
    extra.write_text(GOOD_MODULE.format(name="one_off"))
    names = [p.name for p in load_plugins([extra]).plugins]
    assert names[0] == "builtin" and names[-1] == str(extra)
    assert names[1:-1] == sorted(names[1:-1])


TWO_STRATEGIES = '''
import pandas as pd
from simulator import StrategyInput, hookimpl, strategy

@strategy(roles=("large_cap",))
def only_in_b(data: StrategyInput) -> pd.DataFrame:
    """Cash."""
    return pd.DataFrame({"large_cap": 0.0}, index=data.index)

@strategy(roles=("large_cap",), name="momentum")
def b_momentum(data: StrategyInput) -> pd.DataFrame:
    """Another strategy called momentum."""
    return pd.DataFrame({"large_cap": 1.0}, index=data.index)

@hookimpl
def register_strategies(register):
    register(only_in_b)
    register(b_momentum)
'''


def test_duplicate_names_between_packages_first_by_name_wins_and_the_loser_is_dropped_whole(site: Path) -> None:
    write_package(site, "pkg-b", {"b_plugin": "mod_b"}, {"mod_b": TWO_STRATEGIES})
    write_package(site, "pkg-a", {"a_plugin": "mod_a"}, {"mod_a": GOOD_MODULE.format(name="momentum")})
    registry = load_plugins()
    info = {p.name: p for p in registry.plugins}
    assert registry.strategies["momentum"].plugin == "a_plugin"
    assert info["b_plugin"].error == f"{DUPLICATE}: 'momentum' is already registered by plugin a_plugin"
    assert "only_in_b" not in registry.strategies  # registered before the clash, dropped with its plugin


def test_one_off_files_and_modules_and_their_failures(site: Path, tmp_path: Path) -> None:
    good = tmp_path / "mine.py"
    good.write_text(GOOD_MODULE.format(name="mine"))
    syntax = tmp_path / "typo.py"
    syntax.write_text("def broken(:\n")
    (site / "as_module.py").write_text(GOOD_MODULE.format(name="from_module"))
    registry = load_plugins([good, syntax, tmp_path / "absent.py", "as_module", "no.such.module"])
    info = {p.name: p for p in registry.plugins}
    assert info[str(good)].strategies == ("mine",) and info[str(good)].kind == "file"
    assert info[str(good)].version == "9.9"  # the module's __version__
    assert info[str(syntax)].error.startswith(f"{IMPORT_ERROR}: SyntaxError")
    assert (
        info[str(tmp_path / "absent.py")].error
        == f"{IMPORT_ERROR}: FileNotFoundError: plugin file {tmp_path / 'absent.py'} does not exist"
    )
    assert info["as_module"].kind == "module" and info["as_module"].strategies == ("from_module",)
    assert info["no.such.module"].error.startswith(f"{IMPORT_ERROR}: ModuleNotFoundError")
    assert {"mine", "from_module", "static_weights"} <= set(registry.strategies)


def test_disabled_plugins_are_not_imported(broken_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_plugins(disabled={"raises_on_import", "good_one"})
    info = {p.name: p for p in registry.plugins}
    assert info["raises_on_import"].status == "disabled" and not info["raises_on_import"].error
    assert "bad_raises_on_import" not in sys.modules
    assert "hold_one" not in registry.strategies and "hold_two" in registry.strategies
    monkeypatch.setenv("ROTSIM_DISABLE_PLUGINS", "good_two, imports_missing")
    registry = load_plugins(disabled={"good_one"})  # the option and the environment add up
    assert not {"hold_one", "hold_two"} & set(registry.strategies)
    assert {p.name for p in registry.plugins if p.disabled} == {"good_one", "good_two", "imports_missing"}
    monkeypatch.setenv("ROTSIM_DISABLE_PLUGINS", "*")
    registry = load_plugins()
    assert set(registry.strategies) == BUILTINS  # all but the built-ins
    assert not registry.broken


def test_rotsim_plugins_env_adds_files_and_modules_before_the_command_line(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.py"
    first.write_text(GOOD_MODULE.format(name="first"))
    (site / "second_mod.py").write_text(GOOD_MODULE.format(name="second"))
    last = tmp_path / "last.py"
    last.write_text(GOOD_MODULE.format(name="last"))
    monkeypatch.setenv("ROTSIM_PLUGINS", f"{first},second_mod")
    registry = load_plugins([last])
    assert [p.name for p in registry.plugins] == ["builtin", str(first), "second_mod", str(last)]
    assert {"first", "second", "last"} <= set(registry.strategies)
    assert set(load_plugins([last], use_env=False).strategies) == BUILTINS | {"last"}


def test_rotsim_plugins_command_lists_every_plugin_and_why_the_broken_ones_broke(broken_site: Path) -> None:
    # in this process, the site folder on sys.path (the fixture); test_suite_independence runs `rotsim plugins`
    # in a process with installed packages on PYTHONPATH
    proc = run_in_process("plugins", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert rows["builtin"]["status"] == "ok" and rows["builtin"]["distribution"] == "rotsim"
    assert set(rows["builtin"]["strategies"]) == BUILTINS
    assert rows["good_one"] | {"location": ""} == rows["good_one"] | {
        "status": "ok",
        "version": "2.3",
        "strategies": ["hold_one"],
        "distribution": "rotsim-good-one",
        "location": "",
    }
    for name, (_, kind, reason) in BROKEN_PACKAGES.items():
        assert (
            rows[name]["status"] == "broken" and rows[name]["error"].startswith(kind) and reason in rows[name]["error"]
        )

    text = run_in_process("plugins", "--disable-plugin", "good_two")
    out = " ".join(text.stdout.split())
    assert text.returncode == 0, text.stderr
    assert "good_one 2.3 ok from: rotsim-good-one (entry point good_one = good_one)" in out
    assert f"module: {broken_site / 'good_one.py'} strategies: hold_one" in out
    assert "good_two 1.0 disabled" in out
    assert "hook_raises 1.0 broken from: rotsim-hook_raises (entry point hook_raises = bad_hook_raises)" in out
    assert "reason: bad registration: KeyError: 'oops'" in out


def test_commands_warn_about_broken_plugins_and_carry_on(broken_site: Path) -> None:
    proc = run_in_process("strategies", "--disable-plugin", "builtin")
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "warning: plugin raises_on_import (rotsim-raises_on_import (entry point raises_on_import = " in out
    assert "did not load: import error: RuntimeError: no API key set" in out
    assert "hold_one plugin: good_one" in out and "small_cap_thrust" not in out
    # with the built-ins disabled, a plugin may take one of their names
    assert "static_weights plugin: claims_a_builtin_name" in out


def test_the_tests_hiding_reads_a_rewritten_or_reinstalled_distribution_again(tmp_path: Path) -> None:
    """plugin_isolation remembers each distribution's name (parsing METADATA is slow): not past a change to it."""
    import shutil
    from importlib.metadata import PathDistribution

    import plugin_isolation

    write_package(tmp_path, "first-name", {"p": "p_mod"}, {})
    info = next(tmp_path.glob("*.dist-info"))
    assert plugin_isolation._key(PathDistribution(info))[0] == "first-name"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: second.Name\nVersion: 1.0\n")
    assert plugin_isolation._key(PathDistribution(info))[0] == "second-name"
    shutil.rmtree(info)  # a reinstall: the same folder made again
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: Third_Name\nVersion: 1.0\n")
    assert plugin_isolation._key(PathDistribution(info)) == ("third-name", str(tmp_path))
