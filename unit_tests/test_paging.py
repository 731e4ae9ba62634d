"""Bookmark paging with page_size=250, and the ad account selection."""

from airbyte_cdk.models import FailureType
from airbyte_cdk.test.mock_http import HttpMocker

from unit_tests.support import list_request, make_config, mock_oauth, page, read_streams


def test_boards_follow_the_bookmark_until_it_is_null():
    first, second = list_request("boards"), list_request("boards", "bm-2")
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(first, page([{"id": str(i)} for i in range(250)], "bm-2"))
        http_mocker.get(second, page([{"id": "250"}, {"id": "251"}], None))
        output = read_streams(make_config(), "boards")
        http_mocker.assert_number_of_calls(first, 1)
        http_mocker.assert_number_of_calls(second, 1)
    assert [r.record.data["id"] for r in output.records] == [str(i) for i in range(252)]


def test_ad_accounts_are_all_listed_when_no_ids_are_configured():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}, {"id": "2"}], "next"))
        http_mocker.get(list_request("ad_accounts", "next"), page([{"id": "3"}]))
        output = read_streams(make_config(), "ad_accounts")
    assert sorted(r.record.data["id"] for r in output.records) == ["1", "2", "3"]


def test_account_ids_keep_only_those_accounts_across_pages():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}, {"id": "2"}], "next"))
        http_mocker.get(list_request("ad_accounts", "next"), page([{"id": "3"}]))
        output = read_streams(make_config(account_ids=["3", "1"]), "ad_accounts")
    assert sorted(r.record.data["id"] for r in output.records) == ["1", "3"]


def test_an_inaccessible_account_id_fails_the_sync_naming_it():
    with HttpMocker() as http_mocker:
        mock_oauth(http_mocker)
        http_mocker.get(list_request("ad_accounts"), page([{"id": "1"}]))
        output = read_streams(make_config(account_ids=["1", "999"]), "ad_accounts", expect_failure=True)
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert "999" in error.message and "account_ids" in error.message
