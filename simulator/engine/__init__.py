"""The simulation engine: the rebalance schedule, the simulation itself, and performance metrics."""
