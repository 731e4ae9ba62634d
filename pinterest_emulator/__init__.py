"""A local emulator of the Pinterest API v5 (as its OpenAPI description says), for tests and benchmarks.

    from pinterest_emulator import Emulator, EmulatorOptions
    with Emulator(profile="small", seed=1, port=0, options=EmulatorOptions(role="ANALYST")) as emu:
        requests.get(emu.base_url + "/ad_accounts", headers={"Authorization": "Bearer " + emu.issue_access_token()})
"""

from pinterest_emulator.options import EmulatorOptions, TargetedFault
from pinterest_emulator.server import Emulator

__all__ = ["Emulator", "EmulatorOptions", "TargetedFault"]
