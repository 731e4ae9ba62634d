"""Report jobs that fail, get stuck or whose download link expires, against the emulator's fault
modes: recreated a bounded number of times, then the stream fails with a clear message."""

import time

import pytest

from airbyte_cdk.sources.declarative.async_job.job_orchestrator import AsyncPartition

from pinterest_emulator.analytics_state import state_of

from unit_tests.support import CREATE, DOWNLOAD, POLL, canonical, expected_rows, read_reports, records_of, report_config, route_count

STREAM = "campaign_analytics_report"
ATTEMPTS = 3  # the CDK creates a failed or timed-out job again twice


def test_the_cdk_makes_the_three_attempts_the_manifest_divides_report_timeout_minutes_by():
    assert AsyncPartition._DEFAULT_MAX_JOB_RETRY == ATTEMPTS


def error_messages(output) -> str:
    return "\n".join(f"{e.trace.error.message} {e.trace.error.internal_message}" for e in output.errors)


@pytest.mark.parametrize("mode", ["FAILED", "CANCELLED", "EXPIRED"])
def test_a_failed_job_is_created_again_and_its_rows_synced(emulator, report_bodies, mode):
    emulator.configure(report_fail_mode=mode, report_fail_count=ATTEMPTS - 1)
    output = read_reports(report_config(emulator, days=0), STREAM)
    assert not output.errors
    assert route_count(emulator, CREATE) == ATTEMPTS
    assert canonical(records_of(output, STREAM)) == canonical(expected_rows(emulator, report_bodies))


def test_a_job_that_always_fails_fails_the_stream_after_the_last_attempt(emulator):
    emulator.configure(report_fail_mode="FAILED")
    output = read_reports(report_config(emulator, days=0), STREAM, expect_failure=True)
    assert route_count(emulator, CREATE) == ATTEMPTS
    assert "async jobs failed after exhausting all retry attempts" in error_messages(output)
    assert not records_of(output, STREAM)


def test_a_stuck_job_times_out_and_is_created_again_within_one_total_limit(emulator):
    emulator.configure(report_stuck=True)
    timeout_minutes = 0.01  # 0.6 s for all attempts: 0.2 s each
    output = read_reports(report_config(emulator, days=0, report_timeout_minutes=timeout_minutes), STREAM, expect_failure=True)
    assert route_count(emulator, CREATE) == ATTEMPTS
    assert "TIMED_OUT" in error_messages(output)
    timeouts = [message.log.message for message in output.logs if "still IN_PROGRESS" in message.log.message]
    assert len(timeouts) == ATTEMPTS and all("after 0.2 s" in message for message in timeouts), timeouts
    # Polls are spaced by the poll interval (50 ms here): about 12 per attempt, not a busy loop.
    assert ATTEMPTS <= route_count(emulator, POLL) < ATTEMPTS * 60


def test_an_expired_download_link_is_replaced_by_a_fresh_one(emulator, report_bodies):
    # The emulator's clock jumps past the link's lifetime right after the job is reported FINISHED.
    calls, real_clock = [], time.time
    state_of(emulator).clock = lambda: real_clock() + (400 if len(calls.append(1) or calls) > 3 else 0)
    emulator.configure(report_polls=1, download_ttl_seconds=300)
    output = read_reports(report_config(emulator, days=0), STREAM)
    assert not output.errors
    assert route_count(emulator, DOWNLOAD) == 2 and route_count(emulator, POLL) == 3
    assert canonical(records_of(output, STREAM)) == canonical(expected_rows(emulator, report_bodies))


def test_a_link_that_keeps_expiring_fails_the_stream_clearly(emulator):
    emulator.configure(download_ttl_seconds=-1)
    output = read_reports(report_config(emulator, days=0), STREAM, expect_failure=True)
    assert route_count(emulator, DOWNLOAD) == 3
    assert "download link of a Pinterest report expired 3 times" in error_messages(output)
