"""The CPU profile command on the tiny profile, and how it files a stack."""

import pytest

from bench.profile import category, main


def test_a_stack_is_filed_under_its_innermost_recognised_frame():
    stack = ["_worker (thread.py:83)", "PartitionReader.process_partition (partition_reader.py:81)",
             "RecordSelector.select_records (record_selector.py:100)", "_value_closed_by (source_pinterest/components.py:416)"]
    assert category(stack) == ("JSON parsing of answers", "ours")
    assert category(stack[:3]) == ("record selection", "CDK")
    assert category(["main (x.py:1)"]) == ("other", "–")


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_the_profile_of_a_tiny_sync_has_busy_samples_and_a_share_per_cost(tmp_path):
    text = main(["--profile", "tiny", "--streams", "ad_accounts", "campaigns", "campaign_analytics", "boards",
                 "--samples", str(tmp_path / "samples.txt")])
    # A tiny sync is mostly start-up; which other costs get a sample at all varies from run to run.
    assert "records, py-spy at 100 samples a second" in text
    assert "| start-up (imports, streams built from the manifest) | CDK |" in text
    assert (tmp_path / "samples.txt").read_text().strip()
