"""bench/rusage.py measures the command's own peak RSS, not the memory of the process that starts it."""

import json
import subprocess
import sys

from bench.run import RUSAGE


def test_a_small_child_of_a_big_parent_is_measured_small(tmp_path):
    held = bytearray(400 << 20)
    held[::4096] = b"\1" * len(held[::4096])  # resident, not only reserved
    out = tmp_path / "usage.json"
    code = subprocess.run([sys.executable, str(RUSAGE), str(out), sys.executable, "-c", "import sys; sys.exit(3)"]).returncode
    figures = json.loads(out.read_text())
    assert code == 3
    assert figures["peak_rss_mb"] < 100, figures  # started directly from this process, the child counts 400+ MB
    assert figures["cpu_seconds"] > 0
