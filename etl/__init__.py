"""The ETL: documents in, a DuckDB warehouse out (stages ingest → clean → segment → context →
extract → load, in etl/warehouse)."""
import os

# Arrow's buffers from the C heap (glibc malloc), not from Arrow's own pool (mimalloc): a build
# worker gives its freed memory back after each batch (worker._trim, malloc_trim), and mimalloc
# kept what the Parquet writers had freed, 25-45 MB in every worker for the whole build (9-12 MB
# with this). Arrow reads the setting once, when pyarrow is imported: hence here, before any
# module of the package imports it. A value set outside is kept.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
