# The code location image: monitr_pipeline.definitions served over gRPC on port 4000, and the image
# of every run pod the K8sRunLauncher starts (deploy/helm/values.yaml; README "Beyond one machine").
# No secret is baked in: the MONITR_* settings and the Dagster storage password arrive as
# environment variables from Kubernetes secrets. The sandbox emulators (monitr_sandbox) are not in
# the image (.dockerignore); production code never imports them.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    MONITR_HOME=/var/lib/monitr

WORKDIR /opt/monitr

# The pinned dependencies first (this layer is rebuilt only when pyproject.toml changes), plus
# dagster-k8s: a run pod loads the instance, whose run launcher is the K8sRunLauncher.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt dagster-k8s==0.29.27 \
    && rm /tmp/requirements.txt

# The project in place (editable): settings.py finds dbt_monitr/ beside the package.
COPY monitr_pipeline ./monitr_pipeline
COPY dbt_monitr ./dbt_monitr
RUN pip install --no-deps -e .

# The dbt manifest, parsed now (profiles.yml needs no environment to parse) so that neither the
# code server nor a run pod parses dbt when it loads the definitions (ensure_manifest finds it
# newer than the models).
RUN python -c "from monitr_pipeline.assets.transforms import ensure_manifest; ensure_manifest()"

# Not root; dbt writes target/ and logs/ at run time, imports write dlt working dirs in MONITR_HOME.
RUN useradd --create-home --uid 1000 monitr \
    && mkdir -p "$MONITR_HOME" "$DAGSTER_HOME" \
    && chown -R monitr:monitr "$MONITR_HOME" "$DAGSTER_HOME" /opt/monitr/dbt_monitr
USER 1000

EXPOSE 4000
# The chart starts the container with its own `dagster api grpc` command (dagsterApiGrpcArgs in
# deploy/helm/values.yaml); this default serves the same definitions, e.g. under `docker run`.
CMD ["dagster", "api", "grpc", "--host", "0.0.0.0", "--port", "4000", "--module-name", "monitr_pipeline.definitions"]
