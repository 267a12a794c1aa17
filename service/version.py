"""The installed package's version (the User-Agent, /healthz, the OpenAPI document, report footers)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache  # package metadata is read from disk: once per process is enough
def package_version() -> str:
    try:
        return version("healthgeo")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "dev"
