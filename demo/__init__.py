"""Developer demo: a full sync of the Pinterest source into a local DuckDB file through PyAirbyte.

Run from the repository root: ``python -m demo`` (or ``make demo``). Not part of the package.
"""
