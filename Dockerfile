# The Airbyte image: the connector on Airbyte's Python connector base image (Python 3.11), pinned by digest.
FROM docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

WORKDIR /airbyte/integration_code

# The locked versions first (reproducible: `make lock` refreshes them from setup.py's ranges), then only the
# connector's own files: the emulator and the local-sync helper stay out of the image.
COPY requirements/main.lock ./requirements/main.lock
RUN pip install --no-cache-dir -r requirements/main.lock
COPY setup.py ./
COPY source_smartsheets ./source_smartsheets
RUN pip install --no-cache-dir --no-deps .

ENV AIRBYTE_ENTRYPOINT="source-smartsheets"
ENTRYPOINT ["source-smartsheets"]

USER airbyte
