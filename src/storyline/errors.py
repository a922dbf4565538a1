"""Errors a user can act on: each names the input and says what to do."""

from __future__ import annotations

import errno


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


class DamagedStoreError(StoreError):
    """The store fails SQLite's checks (``quick_check``, "malformed", "not a database"); the message says how to
    recover."""


class ForeignStoreError(StoreError, UsageError):
    """--db names a file that is not a storyline store (not SQLite, or another program's database): exit 2."""


class NewerStoreError(StoreError, UsageError):
    """--db names a store written by a newer storyline (its schema version is higher than known): exit 2."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP reached the main process: unwinds like Ctrl-C, so workers are stopped and the store is
    closed (a batch not yet committed is redone by the next run)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"signal {signum}")


def describe_os_error(exc: OSError) -> str | None:
    """What an environment failure means and what to do, or None for an error this cannot name."""
    what = f"{exc.filename!r}" if exc.filename else "a file"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"no space left on the disk writing {what} ({exc.strerror}); free space, or give --out/--db on another "
                "disk, and run the same command again")
    if exc.errno == errno.EROFS:
        return f"{what} is on a read-only file system; give --out/--db in a writable place"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied for {what}; make it (or its folder) writable, or give --out/--db elsewhere"
    if exc.errno == errno.ENOENT:
        return f"{what} does not exist; check the path"
    if exc.errno == errno.EISDIR:
        return f"{what} is a folder where a file was expected; give a file path"
    return None
