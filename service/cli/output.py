"""Writing to standard output when the reader may stop reading (``| head``): shared by the subcommands."""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["discard_stdout", "write_or_discard"]


def discard_stdout() -> TextIO:
    """Send standard output to the null device from now on; returns a stream to write the rest to."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    os.close(devnull)
    return open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives until exit)


def write_or_discard(data: bytes) -> None:
    """Bytes to standard output, tolerating a reader that stopped reading."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        discard_stdout()
