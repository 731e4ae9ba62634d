"""The packaged source (run.py) bounds the queue between the CDK's workers and the writing thread."""

from airbyte_cdk.test.mock_http import HttpMocker

from source_pinterest import run
from source_pinterest.run import RECORD_QUEUE_SIZE, SourcePinterest
from unit_tests.support import list_request, make_catalog, make_config, mock_oauth, page, read_streams


def test_the_record_queue_is_bounded_by_record_queue_size():
    source = SourcePinterest(catalog=make_catalog("boards"), config=make_config(), state=None)
    assert source._concurrent_source._queue.maxsize == RECORD_QUEUE_SIZE == 200


def test_a_stream_with_more_records_than_the_queue_holds_is_read_whole():
    count = 3 * RECORD_QUEUE_SIZE
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("boards"), page([{"id": str(i)} for i in range(count)], None))
        output = read_streams(make_config(), "boards")
    assert [record.record.data["id"] for record in output.records] == [str(i) for i in range(count)]


def test_the_packaged_connector_asks_glibc_for_two_malloc_arenas(monkeypatch):
    calls = []

    class Libc:
        def mallopt(self, option, value):
            calls.append((option, value))

    monkeypatch.setattr(run.ctypes, "CDLL", lambda name: Libc())
    run.fewer_malloc_arenas()
    assert calls == [(-8, 2)]  # M_ARENA_MAX in malloc.h
