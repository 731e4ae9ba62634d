"""The scaling command on the tiny profile: one row per profile, calls at the API's minimum, a chart."""

import pytest

from bench.scaling import main

STREAMS = ["ad_accounts", "campaigns", "ad_groups", "campaign_analytics", "boards", "board_pins"]


@pytest.mark.long  # make test-all only (make test stays under 5 minutes; the bench's own smoke test stays)
def test_each_profile_gets_a_row_with_the_minimum_calls_and_a_chart(tmp_path):
    steps = main(["--profiles", "tiny", "--streams", *STREAMS, "--markdown", str(tmp_path / "scaling.md"),
                  "--output-dir", str(tmp_path / "runs")])
    (step,) = steps
    assert step.run.exit_code == 0 and not step.run.errors and step.run.total_records > 0
    assert step.measured_on_minimum_routes == step.minimum  # the API allows no fewer
    document = (tmp_path / "scaling.md").read_text()
    assert "| tiny |" in document and (tmp_path / "scaling.png").read_bytes().startswith(b"\x89PNG")
