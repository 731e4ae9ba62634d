"""Peak memory and throughput of a big async report sync (dev tool; prints figures, asserts nothing).

Runs the emulator in this process and the packaged connector (`source-pinterest read`) as a child
process, so the child's peak RSS is the connector's alone; counts the RECORD lines it prints.

    python bench/report_memory.py [--profile small] [--days 85] [--level PIN_PROMOTION_TARGETING]

The default is a custom report of two columns at PIN_PROMOTION_TARGETING level (all targeting types)
over 85 days on the small profile: about 1.5 million rows in 6 report files (3 targeting-type groups x 2
ad accounts), the largest over 500,000 rows.
"""

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from pinterest_emulator import Emulator, EmulatorOptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="small")
    parser.add_argument("--days", type=int, default=85)
    parser.add_argument("--level", default="PIN_PROMOTION_TARGETING")
    args = parser.parse_args()
    today = datetime.now(timezone.utc).date()
    report = {"name": "bench", "level": args.level, "granularity": "DAY", "columns": ["SPEND_IN_DOLLAR", "TOTAL_IMPRESSION"]}
    with Emulator(profile=args.profile, seed=1, port=0, options=EmulatorOptions(today=today.isoformat())) as emu, tempfile.TemporaryDirectory() as tmp:
        config = {
            "credentials": {"auth_method": "oauth2.0", **emu.credentials},
            "api_base_url": emu.base_url,
            "start_date": (today - timedelta(days=args.days - 1)).isoformat(),
            "custom_reports": [report],
        }
        stream = {"name": "custom_bench", "json_schema": {}, "supported_sync_modes": ["incremental"]}
        catalog = {"streams": [{"stream": stream, "sync_mode": "incremental", "destination_sync_mode": "append"}]}
        Path(tmp, "config.json").write_text(json.dumps(config))
        Path(tmp, "catalog.json").write_text(json.dumps(catalog))
        usage = Path(tmp, "usage.json")
        command = [sys.executable, str(Path(__file__).with_name("rusage.py")), str(usage),
                   str(Path(sys.executable).parent / "source-pinterest"), "read", "--config", f"{tmp}/config.json", "--catalog", f"{tmp}/catalog.json"]
        group_of_type = {t: i for i, group in enumerate(_targeting_groups()) for t in group.split(",")}
        account_of_ad = {str(ad["id"]): account for account, ads in emu.dataset.ads.items() for ad in ads}
        rows_per_file: collections.Counter = collections.Counter()
        rows, first_row_at, errors = 0, None, []
        started = time.monotonic()
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            for line in child.stdout:
                if line.startswith('{"type":"RECORD"'):
                    rows += 1
                    data = json.loads(line)["record"]["data"]
                    account = account_of_ad.get(data.get("PIN_PROMOTION_ID"), "?")
                    rows_per_file[(account, group_of_type.get(data.get("TARGETING_TYPE")))] += 1
                    first_row_at = first_row_at or time.monotonic()
                elif line.startswith('{"type":"TRACE"') and '"ERROR"' in line:
                    errors.append(line[:300])
        finished = time.monotonic()
        peak_rss_mb = json.loads(usage.read_text())["peak_rss_mb"]
        downloads = emu.stats()["by_route"].get("GET /_downloads/{name}", 0)
    print(f"level {args.level}, {args.days} days, profile {args.profile}: {downloads} report files")
    print(f"largest report file {max(rows_per_file.values(), default=0):,} rows (PIN_PROMOTION levels)")
    print(f"rows {rows:,}  total {finished - started:.1f} s  rows/s {rows / (finished - first_row_at or 1):,.0f} (from the first row)")
    print(f"connector peak RSS {peak_rss_mb:.0f} MB")
    for error in errors:
        print("ERROR", error)


def _targeting_groups() -> list[str]:
    manifest = yaml.safe_load((Path(__file__).parents[1] / "source_pinterest/manifest.yaml").read_text())
    return manifest["definitions"]["generated"]["report_targeting_type_groups"]


if __name__ == "__main__":
    main()
