"""Run configs: YAML in, a validated ``RunConfig`` out, errors pointing at lines."""

from .load import LoadedConfig, check_config, format_errors, load_config
from .schema import DataConfig, EngineConfig, ReportConfig, RunConfig, StrategyConfig

__all__ = [
    "DataConfig",
    "EngineConfig",
    "LoadedConfig",
    "ReportConfig",
    "RunConfig",
    "StrategyConfig",
    "check_config",
    "format_errors",
    "load_config",
]
