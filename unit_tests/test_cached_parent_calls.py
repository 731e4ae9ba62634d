"""OneCallPerCachedPage: concurrent sends of one cached page make one API call (the later reader is
answered from the cache); a page that does not parse is not cached; its pages are logged where the
source logs."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests_mock

from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeSingleUseRefreshTokenOauth2Authenticator
from airbyte_cdk.sources.message import InMemoryMessageRepository, NoopMessageRepository

from source_pinterest.components import OneCallPerCachedPage

URL = "https://api.pinterest.com/v5/ad_accounts"


def parent_requester() -> OneCallPerCachedPage:
    """The ad_accounts requester as each stream that reads the parent builds its own."""
    return OneCallPerCachedPage(name="ad_accounts", config={}, parameters={}, url=URL,
                                request_parameters={"page_size": "250"})


def test_concurrent_sends_of_one_cached_page_call_the_api_once():
    readers = [parent_requester() for _ in range(2)]
    readers[0]._http_client._session.cache.clear()

    def slow_page(request, context):
        time.sleep(0.2)  # both readers miss the cache unless the second waits for the first
        return '{"items": [], "bookmark": null}'

    with requests_mock.Mocker() as mocker:
        mocker.get(URL, text=slow_page)
        responses = []
        threads = [threading.Thread(target=lambda r=reader: responses.append(r.send_request())) for reader in readers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert mocker.call_count == 1
    assert mocker.request_history[0].qs == {"page_size": ["250"]}
    assert sorted(getattr(response, "from_cache", False) for response in responses) == [False, True]


def test_sends_of_different_pages_do_not_wait_for_each_other():
    both_in_flight = threading.Barrier(2, timeout=10)  # broken, hence 503, if the second send waited

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                both_in_flight.wait()
                status, body = 200, b'{"items": [], "bookmark": null}'
            except threading.BrokenBarrierError:
                status, body = 503, b"{}"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Pages) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/v5/ad_accounts"
        reader = OneCallPerCachedPage(name="ad_accounts_pages", config={}, parameters={}, url=url)
        statuses = []
        threads = [threading.Thread(target=lambda token=token: statuses.append(
                       reader.send_request(request_params={"bookmark": token}).status_code)) for token in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        server.shutdown()
    assert statuses == [200, 200]


def test_a_page_that_does_not_parse_is_not_cached():
    reader = parent_requester()
    reader._http_client._session.cache.clear()
    with requests_mock.Mocker() as mocker:
        mocker.get(URL, [{"text": '{"items": [{"id": "1"}, {"id"'}, {"text": '{"items": [], "bookmark": null}'}])
        first, second, third = (reader.send_request() for _ in range(3))
    assert mocker.call_count == 2  # the cut-off page again from the API; the whole one from the cache
    assert [getattr(response, "from_cache", False) for response in (first, second, third)] == [False, False, True]


def test_it_logs_its_pages_to_the_message_repository_of_its_authenticator():
    """What a Connector Builder test read shows for each page (the CDK leaves a custom requester none)."""
    repository = InMemoryMessageRepository()
    authenticator = DeclarativeSingleUseRefreshTokenOauth2Authenticator(
        {"credentials": {"client_id": "c", "client_secret": "s", "refresh_token": "r"}}, f"{URL}/oauth/token",
        message_repository=repository)
    reader = OneCallPerCachedPage(name="ad_accounts", config={}, parameters={}, url=URL, authenticator=authenticator)
    assert reader.message_repository is repository
    assert isinstance(OneCallPerCachedPage(name="ad_accounts", config={}, parameters={}, url=URL).message_repository, NoopMessageRepository)
