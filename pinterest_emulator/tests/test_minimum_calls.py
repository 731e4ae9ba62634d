"""The fewest API calls a full sync of the emulator's dataset needs (the figure tests and the bench compare with)."""

from datetime import date

from pinterest_emulator.dataset import Dataset
from pinterest_emulator.minimum_calls import minimum_calls


def test_minimum_calls_of_analytics_are_ids_over_250_times_90_day_windows():
    dataset = Dataset("small", seed=1, today=date(2026, 11, 20))
    calls = minimum_calls(dataset, date(2026, 8, 23), date(2026, 11, 20))  # 90 days
    assert calls["GET /ad_accounts/{ad_account_id}/ads/analytics"] == 3 + 1  # 600 and 80 ads
    assert calls["GET /ad_accounts/{ad_account_id}/analytics"] == 2
    assert calls["GET /pins/analytics"] == -(-len(dataset.pins) // 100)
    longer = minimum_calls(dataset, date(2026, 8, 22), date(2026, 11, 20))  # 91 days: two windows
    assert longer["GET /ad_accounts/{ad_account_id}/campaigns/analytics"] == 2 * (2 + 1)  # 260 and 30
