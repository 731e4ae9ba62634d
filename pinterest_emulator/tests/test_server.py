"""Serving details: streamed (chunked) and binary bodies, routes outside /v5, keep-alive."""

import http.client
import re

import pytest
import requests

from pinterest_emulator import routing
from pinterest_emulator.routing import Response, Route


@pytest.fixture
def download_route(monkeypatch):
    def download(request):
        return Response(body=(b"chunk-%d;" % index for index in range(3)), headers={"Content-Type": "text/plain"})

    route = Route("GET", re.compile(r"^/_test_downloads/(?P<name>[^/]+)$"), "/_test_downloads/{name}", None, download)
    monkeypatch.setattr(routing, "ROUTES", routing.ROUTES + [route])


def test_streamed_bodies_are_chunked_and_served_without_auth_outside_v5(served, download_route):
    response = requests.get(served.root_url + "/_test_downloads/report.csv")
    assert response.status_code == 200
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert response.content == b"chunk-0;chunk-1;chunk-2;"
    assert requests.get(served.base_url + "/_test_downloads/report.csv").status_code == 404


def test_api_routes_are_not_served_outside_v5(served):
    assert requests.get(served.root_url + "/user_account").status_code == 404


def test_keep_alive_reuses_one_connection(served):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    headers = {"Authorization": "Bearer " + served.issue_access_token()}
    sockets = []
    for _ in range(3):
        connection.request("GET", "/v5/user_account", headers=headers)
        response = connection.getresponse()
        assert response.status == 200 and response.read()
        sockets.append(connection.sock)
    connection.close()
    assert sockets[0] is not None and sockets.count(sockets[0]) == 3
