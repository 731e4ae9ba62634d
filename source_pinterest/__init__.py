"""Airbyte source connector for Pinterest (declarative manifest run by airbyte-cdk)."""
