"""Run configs: YAML in, a validated ``RunConfig`` out, errors pointing at lines."""

from .load import LoadedConfig, format_errors, load_config
from .schema import DataConfig, EngineConfig, ReportConfig, RunConfig, StrategyConfig

__all__ = [
    "DataConfig",
    "EngineConfig",
    "LoadedConfig",
    "ReportConfig",
    "RunConfig",
    "StrategyConfig",
    "format_errors",
    "load_config",
]
