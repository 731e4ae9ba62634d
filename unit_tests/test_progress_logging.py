"""Long reads log each stream's record count at INFO, at most once per interval and stream."""

import logging
import re
import sys
from itertools import count

from airbyte_cdk.test.mock_http import HttpMocker

from source_pinterest import components
from source_pinterest.components import ProgressLog
from source_pinterest.run import register_components
from unit_tests.support import list_request, make_config, mock_oauth, page, read_streams

PROGRESS = re.compile(r"^Stream boards: (\d+) records read so far$")


class SteppingClock:
    """time.monotonic that moves `step` seconds at each call (only ProgressLog calls it here)."""

    def __init__(self, step: float) -> None:
        self._ticks = count()
        self._step = step

    def monotonic(self) -> float:
        return next(self._ticks) * self._step


def read_boards_progress(monkeypatch, seconds_per_call: float, records: int) -> list[int]:
    # The clock of the module the manifest's class names resolve to: another test of this process (the
    # CDK's standard suite) may have registered its own copy of components.py under that name.
    register_components()
    monkeypatch.setattr(sys.modules["source_declarative_manifest.components"], "time", SteppingClock(seconds_per_call))
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("boards"), page([{"id": str(i)} for i in range(records)], None))
        output = read_streams(make_config(), "boards")
    assert len(output.records) == records
    return [int(match.group(1)) for log in output.logs if (match := PROGRESS.match(log.log.message))]


def test_a_stream_logs_its_running_count_once_the_interval_passed(monkeypatch):
    assert read_boards_progress(monkeypatch, 60.0, 3) == [2, 3]  # the first record starts the clock


def test_a_read_shorter_than_the_interval_logs_no_progress(monkeypatch):
    assert read_boards_progress(monkeypatch, 1.0, 5) == []


def test_the_count_is_logged_at_most_once_per_interval(monkeypatch, caplog):
    monkeypatch.setattr(components, "time", SteppingClock(25.0))  # records at 0, 25, 50, ...
    progress = ProgressLog(parameters={"name": "pins"})
    with caplog.at_level(logging.INFO, logger="airbyte"):
        for _ in range(7):
            progress.transform({})
    assert [record.getMessage() for record in caplog.records] == [
        "Stream pins: 4 records read so far",  # at 75 s
        "Stream pins: 7 records read so far",  # at 150 s
    ]
