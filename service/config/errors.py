"""The configuration error, apart so that every settings module can raise it without importing another."""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(ValueError):
    """A setting that cannot be used: the message names the variable."""
