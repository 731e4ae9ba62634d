"""Runs a command and writes its CPU seconds and peak RSS (MB) as JSON to a file.

Usage: python bench/rusage.py OUT_JSON COMMAND [ARG...]

Linux counts the memory a parent holds when it starts a child into the child's peak RSS, and the bench's
process holds the emulator's dataset (hundreds of MB on `medium`): the connector is started from this
small process instead, so its figure is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run(out: str, command: list[str]) -> int:
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    with open(out, "w") as figures:
        json.dump({"cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}, figures)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], sys.argv[2:]))
