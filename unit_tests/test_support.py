"""The test suite's own shortcuts change nothing a test sees."""

import pytest
import yaml

from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource

from source_pinterest.run import MANIFEST_PATH, SourcePinterest
from unit_tests.support import make_config


@pytest.mark.long  # make test-all only (make test stays under 5 minutes)
def test_a_source_built_from_the_manifest_resolved_once_equals_the_cdks_own_build():
    """The root conftest installs ResolvedManifestOnce on SourcePinterest; the CDK's class is untouched."""
    config = make_config()
    first, second = SourcePinterest(config=config), SourcePinterest(config=config)
    cdk = ConcurrentDeclarativeSource(config=config, source_config=yaml.safe_load(MANIFEST_PATH.read_text()))
    assert second._reused_manifest
    assert first._source_config == second._source_config == cdk._source_config
    assert first._source_config is not second._source_config  # each build gets its own copy
    assert [s.name for s in second.streams(config)] == [s.name for s in cdk.streams(config)]
