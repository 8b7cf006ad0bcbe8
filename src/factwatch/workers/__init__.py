"""Scaling out: stream workers sharing a durable queue (``queue``) and batch backfills on Dask
distributed (``backfill``).  See ``docs/scaling.md``."""
