"""Long reads log each stream's record count at INFO, at most once per interval and stream."""

import importlib.util
import re

from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.test.mock_http import HttpMocker

from source_pinterest import components
from unit_tests.support import list_request, make_config, mock_oauth, page, read_streams

PROGRESS = re.compile(r"^Stream boards: (\d+) records read so far$")


def read_boards_progress(count: int) -> list[int]:
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("boards"), page([{"id": str(i)} for i in range(count)], None))
        output = read_streams(make_config(), "boards")
    assert len(output.records) == count
    return [int(match.group(1)) for log in output.logs if (match := PROGRESS.match(log.log.message))]


def installed_interval(monkeypatch, seconds: float) -> None:
    # The interval of the components module whose wrapper is installed (the last one loaded).
    monkeypatch.setitem(ConcurrentReadProcessor.on_record.__globals__, "PROGRESS_INTERVAL_SECONDS", seconds)


def test_progress_is_logged_with_the_running_count_once_the_interval_passed(monkeypatch):
    installed_interval(monkeypatch, 0.0)
    assert read_boards_progress(5) == [1, 2, 3, 4, 5]


def test_a_read_shorter_than_the_interval_logs_no_progress(monkeypatch):
    installed_interval(monkeypatch, 60.0)
    assert read_boards_progress(5) == []


def test_loading_the_components_twice_still_logs_each_count_once(monkeypatch):
    # Both methods components.py patches are restored after the test.
    monkeypatch.setattr(ConcurrentReadProcessor, "on_record", ConcurrentReadProcessor.on_record)
    monkeypatch.setattr(DefaultStream, "get_partition_router", DefaultStream.get_partition_router)
    spec = importlib.util.spec_from_file_location("components_loaded_again", components.__file__)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    installed_interval(monkeypatch, 0.0)
    assert read_boards_progress(3) == [1, 2, 3]
