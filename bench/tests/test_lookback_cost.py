"""The lookback cost command on the tiny profile: the default lookback re-reads more rows in the same calls."""

import pytest

from bench.lookback_cost import LOOKBACKS, REPORT_POLLS, measure, parse_args


@pytest.mark.long  # make test-all only: three syncs with report jobs (~2 minutes)
def test_the_next_sync_with_the_attribution_lookback_emits_more_rows_than_with_three_days(tmp_path):
    first, nexts = measure(parse_args(["--profile", "tiny", "--latency-ms", "0", "--output-dir", str(tmp_path)]))
    three_days, attribution = (nexts[name] for name in LOOKBACKS)
    assert not first.errors and not three_days.errors and not attribution.errors
    assert first.total_records and three_days.total_records < attribution.total_records
    # The same analytics calls (one covers 90 days); product item reports come in 31-day ranges, so 34 days
    # take a second job per ad account (the other reports' ranges are 186 days).
    def routes(run, marker):
        return {route: count for route, count in run.stats["by_route"].items() if marker in route}
    assert routes(attribution, "/analytics") == routes(three_days, "/analytics")
    jobs = "POST /ad_accounts/{ad_account_id}/reports"
    assert three_days.stats["by_route"][jobs] <= attribution.stats["by_route"][jobs] <= three_days.stats["by_route"][jobs] + 1
