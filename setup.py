"""The one dynamic part of rotsim's packaging (everything else is in pyproject.toml): which packages install.

The built-in strategies live in the repository's ``strategies/`` folder and
install as the top-level package ``rotsim_strategies``: a name of rotsim's
own, so installing rotsim never shadows, and is never shadowed by, another
distribution's ``strategies``. pyproject.toml cannot both discover packages
and rename one, hence this file.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["simulator", "simulator.*"]), "rotsim_strategies"],
    package_dir={"rotsim_strategies": "strategies"},
)
