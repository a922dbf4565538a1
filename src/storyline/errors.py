"""Errors a user can act on: each names the input and says what to do."""

from __future__ import annotations


class StorylineError(Exception):
    """Base class; ``str(err)`` is a message fit to show a user."""


class InputError(StorylineError):
    """One input could not be read. The run records it and goes on."""

    def __init__(self, source: str, problem: str, advice: str = "") -> None:
        self.source = source
        self.problem = problem
        self.advice = advice
        msg = f"{source}: {problem}"
        if advice:
            msg += f" ({advice})"
        super().__init__(msg)


class ModelError(StorylineError):
    """A model or model package is missing or broken."""


class StoreError(StorylineError):
    """The SQLite store cannot be opened or is damaged."""


class UsageError(StorylineError):
    """The user asked for something inconsistent (exit code 2)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP reached the main process: unwinds like Ctrl-C, so workers are stopped and the store is
    closed (a batch not yet committed is redone by the next run)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"signal {signum}")
