# Airbyte image of the connector: `docker build -t airbyte/source-pinterest:dev .`
# The base image must match metadata.yaml's connectorBuildOptions.baseImage (a test checks it).
FROM docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

WORKDIR /airbyte/integration_code

# Only what the package needs (see .dockerignore): the wheel carries the manifest and schemas.
COPY pyproject.toml README.md ./
COPY source_pinterest ./source_pinterest
RUN pip install --no-cache-dir . && rm -rf build ./*.egg-info

# The platform runs $AIRBYTE_ENTRYPOINT with spec|check|discover|read.
ENV AIRBYTE_ENTRYPOINT="source-pinterest"
ENTRYPOINT ["source-pinterest"]

LABEL io.airbyte.name=airbyte/source-pinterest
LABEL io.airbyte.version=0.1.0

# The base image's `airbyte` user, by uid so that Kubernetes' runAsNonRoot can verify it.
USER 1000
