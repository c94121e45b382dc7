"""One module per `rotsim` command, each with `register(subparsers)`."""
