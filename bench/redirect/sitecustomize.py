"""Loaded by the published connector's interpreter (on its PYTHONPATH): send its Pinterest calls to the emulator.

Patches requests from outside the connector's code, so the connector runs unmodified as a black box.
"""

import os

import requests.adapters

PRODUCTION = "https://api.pinterest.com/v5"
EMULATOR = os.environ["BENCH_EMULATOR_BASE_URL"]  # e.g. http://127.0.0.1:8765/v5
_send = requests.adapters.HTTPAdapter.send


def _send_to_emulator(self, request, *args, **kwargs):
    if request.url.startswith(PRODUCTION):
        request.url = EMULATOR + request.url[len(PRODUCTION):]
    return _send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = _send_to_emulator
