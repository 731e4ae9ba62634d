"""Concurrent reads of one cached page make one API call: the later reader is answered from the cache."""

import logging
import threading
import time

import requests
import requests_mock

from airbyte_cdk.sources.streams.http.http_client import HttpClient
from source_pinterest import components  # noqa: F401  (patches the CDK's cached session)

URL = "https://api.pinterest.com/v5/ad_accounts?page_size=250"


def test_concurrent_sends_of_one_cached_request_call_the_api_once():
    client = HttpClient(name="ad_accounts", logger=logging.getLogger("test"), use_cache=True)
    client._session.cache.clear()

    def slow_page(request, context):
        time.sleep(0.2)  # both readers miss the cache unless the second waits for the first
        return '{"items": [], "bookmark": null}'

    with requests_mock.Mocker() as mocker:
        mocker.get(URL, text=slow_page)
        prepared = requests.Request("GET", URL).prepare()
        responses = []
        readers = [threading.Thread(target=lambda: responses.append(client._session.send(prepared.copy())))
                   for _ in range(2)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()

    assert mocker.call_count == 1
    assert sorted(getattr(response, "from_cache", False) for response in responses) == [False, True]
