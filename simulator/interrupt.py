"""Stopping a run by signal: SIGTERM and SIGHUP end it as Ctrl-C (SIGINT) does.

Python turns SIGINT into ``KeyboardInterrupt`` and so runs every ``finally``
on the way out; SIGTERM and SIGHUP would kill the process where it stands,
leaving a results folder's temporary files behind. ``on_termination`` makes
them raise ``Interrupted`` (a ``KeyboardInterrupt``) instead, so one code path
cleans up after all three. Standard library only: the CLI imports it at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = [
    "TERMINATING",
    "Interrupted",
    "deferred",
    "exit_code",
    "leave_interrupts_to_parent",
    "on_termination",
    "signal_name",
    "spawning",
]

# the signals that stop a run and leave nothing written: Ctrl-C, kill, a closed terminal
TERMINATING = tuple(s for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s))


class Interrupted(KeyboardInterrupt):
    """The process was asked to stop by signal ``signum`` (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def signal_name(exc: KeyboardInterrupt) -> str:
    return signal.Signals(getattr(exc, "signum", signal.SIGINT)).name


def exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's convention for a process ended by a signal: 128 + its number (130 for Ctrl-C)."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def on_termination() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP raise ``Interrupted`` where the main thread is.

    A signal the process was started ignoring (``nohup`` ignores SIGHUP) stays
    ignored. Outside the main thread (where Python cannot set handlers) a no-op.
    """
    saved = {}
    if threading.current_thread() is threading.main_thread():
        for name in (n for n in TERMINATING if n != "SIGINT"):  # SIGINT raises KeyboardInterrupt already
            sig = getattr(signal, name)
            if signal.getsignal(sig) is not signal.SIG_IGN:
                saved[sig] = signal.signal(sig, _raise_interrupted)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Within: a stopping signal waits until the block ends, then acts as it would have.

    For cleanup that a second Ctrl-C must not cut short (removing a temporary
    folder halfway leaves it behind). Outside the main thread a no-op.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    saved = {}
    for name in TERMINATING:
        sig = getattr(signal, name)
        handler = signal.getsignal(sig)
        if handler is not signal.SIG_IGN and handler is not None:
            saved[sig] = signal.signal(sig, lambda signum, _frame: pending.append(signum))
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])


def _signals() -> set[signal.Signals]:
    return {getattr(signal, name) for name in TERMINATING}


@contextmanager
def spawning() -> Iterator[None]:
    """Within: start worker processes. A stopping signal waits until the block ends (``deferred``).

    The workers begin life with the stopping signals blocked: a Ctrl-C sent
    to the whole process group while one is still importing would otherwise
    print its traceback, and a parent stopped halfway through starting one
    leaves it to die noisily on a half-read pipe. Each worker then calls
    ``leave_interrupts_to_parent`` (a pool's initializer).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from multiprocessing import resource_tracker

    with deferred():
        before = signal.pthread_sigmask(signal.SIG_BLOCK, _signals())
        try:
            # multiprocessing's helper process, started with SIGHUP blocked too (it ignores
            # the others itself): a closed terminal must not kill it under the workers.
            # Starting, it unblocks SIGINT and SIGTERM here: block them again.
            resource_tracker.ensure_running()
            signal.pthread_sigmask(signal.SIG_BLOCK, _signals())
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


def leave_interrupts_to_parent() -> None:
    """In a worker process: ignore Ctrl-C and a closed terminal (the parent stops it); SIGTERM ends it."""
    for name in TERMINATING:
        if name != "SIGTERM":
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _signals())
