"""Dev tool: generate stream schemas and manifest enum values from Pinterest's OpenAPI spec."""
