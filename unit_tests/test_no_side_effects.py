"""Loading components.py, as the manifest server does for each request, changes nothing of the CDK:
every CDK class keeps its attributes, and an unrelated declarative manifest reads exactly as with
the CDK alone. Each check runs in a fresh interpreter, so no test of ours has loaded anything yet."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

COMPONENTS_PATH = Path(__file__).parent.parent / "source_pinterest" / "components.py"

LOAD_COMPONENTS = textwrap.dedent(f"""
    import hashlib, os
    from airbyte_cdk.sources.declarative.parsers.custom_code_compiler import register_components_module_from_string
    os.environ["AIRBYTE_ENABLE_UNSAFE_CODE"] = "true"
    code = open({str(COMPONENTS_PATH)!r}).read()
    register_components_module_from_string(code, {{"md5": hashlib.md5(code.encode()).hexdigest()}})
""")

SNAPSHOT_CDK_CLASSES = textwrap.dedent("""
    import importlib, inspect, pkgutil, airbyte_cdk

    def cdk_classes():
        for module in pkgutil.walk_packages(airbyte_cdk.__path__, "airbyte_cdk."):
            try:
                yield from inspect.getmembers(importlib.import_module(module.name), inspect.isclass)
            except ImportError:  # optional extras (manifest server, file-based, vector stores)
                continue

    def snapshot():
        return {f"{cls.__module__}.{cls.__qualname__}.{name}": id(value)
                for _, cls in cdk_classes() if cls.__module__.startswith("airbyte_cdk")
                for name, value in vars(cls).items()}
""")


def run_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_loading_the_components_changes_no_cdk_class():
    changed = run_python(SNAPSHOT_CDK_CLASSES + "before = snapshot()\n" + LOAD_COMPONENTS + textwrap.dedent("""
        after = snapshot()
        print(sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name)))
    """))
    assert changed.strip() == "[]", changed


# A full-refresh parent and child, with a cached parent and interpolated values: the CDK paths that
# components.py used to replace (partition routers, literal_eval, record handling, cached sends).
UNRELATED_MANIFEST = {
    "version": "7.39.1",
    "type": "DeclarativeSource",
    "check": {"type": "CheckStream", "stream_names": ["shops"]},
    "definitions": {
        "requester": {"type": "HttpRequester", "url_base": "https://shop.example.com/api", "http_method": "GET",
                      "request_parameters": {"limit": "{{ 2 + 1 }}"}},
        "shops": {
            "type": "DeclarativeStream", "name": "shops", "primary_key": "id",
            "schema_loader": {"type": "InlineSchemaLoader", "schema": {"type": "object"}},
            "retriever": {"type": "SimpleRetriever",
                          "requester": {"$ref": "#/definitions/requester", "path": "/shops", "use_cache": True},
                          "record_selector": {"type": "RecordSelector",
                                              "extractor": {"type": "DpathExtractor", "field_path": ["data"]}}},
        },
    },
    "streams": [
        {"$ref": "#/definitions/shops"},
        {
            "type": "DeclarativeStream", "name": "orders", "primary_key": "id",
            "schema_loader": {"type": "InlineSchemaLoader", "schema": {"type": "object"}},
            "retriever": {
                "type": "SimpleRetriever",
                "requester": {"$ref": "#/definitions/requester", "path": "/shops/{{ stream_partition.shop }}/orders"},
                "record_selector": {"type": "RecordSelector",
                                    "extractor": {"type": "DpathExtractor", "field_path": ["data"]}},
                "partition_router": {"type": "SubstreamPartitionRouter", "parent_stream_configs": [
                    {"type": "ParentStreamConfig", "stream": {"$ref": "#/definitions/shops"},
                     "parent_key": "id", "partition_field": "shop"}]},
            },
        },
    ],
    "spec": {"type": "Spec", "connection_specification": {"type": "object", "properties": {}}},
}

READ_UNRELATED_MANIFEST = textwrap.dedent(f"""
    import json, requests_mock
    from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer
    from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
    from airbyte_cdk.test.entrypoint_wrapper import read

    manifest = json.loads({json.dumps(json.dumps(UNRELATED_MANIFEST))})
    catalog = ConfiguredAirbyteCatalogSerializer.load({{"streams": [
        {{"stream": {{"name": name, "json_schema": {{}}, "supported_sync_modes": ["full_refresh"]}},
          "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}} for name in ("shops", "orders")]}})
    source = ConcurrentDeclarativeSource(source_config=manifest, config={{}}, catalog=catalog, state=None)
    streams = {{stream.name: stream for stream in source.streams({{}})}}
    with requests_mock.Mocker() as api:
        api.get("https://shop.example.com/api/shops?limit=3", json={{"data": [{{"id": 1}}, {{"id": 2}}]}})
        for shop in (1, 2):
            api.get(f"https://shop.example.com/api/shops/{{shop}}/orders?limit=3", json={{"data": [{{"id": shop * 10}}]}})
        output = read(source, {{}}, catalog)
    print(json.dumps({{
        "records": sorted((m.record.stream, json.dumps(m.record.data)) for m in output.records),
        "logs": sorted(m.log.message for m in output.logs if "ms" not in m.log.message),
        "statuses": sorted(str(m.trace.stream_status.status) for m in output.trace_messages if m.trace.stream_status),
        # The URLs called, not how often: whether `orders` finds the shops page cached or calls it too
        # depends on which of two threads gets there first, with the CDK alone as beside ours.
        "calls": sorted({{request.url for request in api.request_history}}),
        "queue_size": source._concurrent_source._queue.maxsize,
        "orders_partition_router": type(streams["orders"].get_partition_router()).__name__,
    }}))
""")


def test_an_unrelated_manifest_reads_the_same_with_the_components_loaded():
    alone = json.loads(run_python(READ_UNRELATED_MANIFEST).splitlines()[-1])  # after the read's own messages
    beside_ours = json.loads(run_python(LOAD_COMPONENTS + READ_UNRELATED_MANIFEST).splitlines()[-1])
    assert alone["records"] == [["orders", '{"id": 10}'], ["orders", '{"id": 20}'], ["shops", '{"id": 1}'], ["shops", '{"id": 2}']]
    assert beside_ours == alone
