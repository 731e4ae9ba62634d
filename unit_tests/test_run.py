"""What the packaged entry point (run.py) does for its own process only."""

import sys
import threading
import time

import pytest

from airbyte_cdk.sources.declarative.interpolation.jinja import JinjaInterpolation

from source_pinterest import run
from source_pinterest.run import SourcePinterest
from unit_tests.support import make_config


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="python/cpython#106905 is fixed from 3.12 on")
def test_the_packaged_source_runs_literal_evals_of_interpolated_values_one_at_a_time(monkeypatch):
    running, overlaps = [], []

    def slow_literal_eval(interpolation, result, valid_types):
        running.append(1)
        overlaps.append(len(running) > 1)
        time.sleep(0.01)
        running.pop()
        return int(result)

    monkeypatch.setattr(JinjaInterpolation, "_literal_eval", run._cdk_literal_eval)  # the CDK's own, restored after
    SourcePinterest(config=make_config())
    monkeypatch.setattr(run, "_cdk_literal_eval", slow_literal_eval)
    threads = [threading.Thread(target=JinjaInterpolation().eval, args=("{{ 1 + 1 }}", {})) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(overlaps) == 8 and not any(overlaps)
