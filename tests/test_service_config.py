"""Service configuration and the gunicorn settings that guard it."""

from __future__ import annotations

import pytest

from service.config.errors import ConfigError
from service.config.settings import is_loopback_bind, load_config, parse_bytes, parse_seconds


def test_defaults():
    cfg = load_config({})
    assert cfg["REDIS_URL"] is None and cfg["AUTH"] == "required"
    assert cfg["MAX_BODY"] == 5 * 1024 * 1024 and cfg["RETENTION"] == 30 * 86400
    assert cfg["CACHE_TTL"] == cfg["RETENTION"] and cfg["RATE_LIMIT"] == "120/minute"
    assert cfg["DATA_DIR"].endswith("/var") and cfg["FETCH_POLICY"].allow == ()


def test_environment_values():
    cfg = load_config({"REDIS_URL": "redis://r:6379/2", "HEALTHGEO_AUTH": "disabled", "HEALTHGEO_MAX_BODY": "2MB",
                       "HEALTHGEO_RETENTION": "7d", "HEALTHGEO_RATE_LIMIT": "10/second;500/hour",
                       "HEALTHGEO_DATA_DIR": "/tmp/x", "HEALTHGEO_FETCH_ALLOW": "127.0.0.1,intranet.example",
                       "HEALTHGEO_FETCH_TIMEOUT": "7"})
    assert cfg["REDIS_URL"] == "redis://r:6379/2" and cfg["AUTH"] == "disabled"
    assert cfg["MAX_BODY"] == 2 * 1024 * 1024 and cfg["RETENTION"] == 7 * 86400
    assert cfg["FETCH_POLICY"].allow == ("127.0.0.1", "intranet.example")
    assert cfg["FETCH_POLICY"].total_timeout == 7


@pytest.mark.parametrize(("var", "value"), [
    ("HEALTHGEO_AUTH", "maybe"), ("HEALTHGEO_MAX_BODY", "lots"), ("HEALTHGEO_RETENTION", "0"),
    ("HEALTHGEO_RATE_LIMIT", "fast"), ("HEALTHGEO_KEY_PREFIX", "a b"), ("HEALTHGEO_FETCH_ALLOW", "not a host!"),
    ("HEALTHGEO_LOG_LEVEL", "loud"), ("HEALTHGEO_REDIS_TIMEOUT", "soon"),
])
def test_invalid_values_refused(var, value):
    with pytest.raises(ConfigError, match=var.split("_", 1)[1].split("_")[0] if var != "HEALTHGEO_FETCH_ALLOW"
                       else "allow"):
        load_config({var: value})


def test_units():
    assert parse_bytes("512k") == 512 * 1024 and parse_bytes("100") == 100
    assert parse_seconds("90m") == 5400 and parse_seconds("1h") == 3600


@pytest.mark.parametrize(("bind", "loopback"), [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True), ("unix:/run/hg.sock", True),
    ("0.0.0.0:8000", False), ("[::]:8000", False), ("10.0.0.5:80", False), ("example.org:80", False),
])
def test_loopback_binds(bind, loopback):
    assert is_loopback_bind(bind) is loopback


def test_gunicorn_refuses_auth_disabled_off_loopback():
    from service.api import gunicorn_conf

    gunicorn_conf.check_bind(["127.0.0.1:8000"], "disabled")
    gunicorn_conf.check_bind(["0.0.0.0:8000"], "required")
    with pytest.raises(SystemExit, match="HEALTHGEO_AUTH=disabled"):
        gunicorn_conf.check_bind(["127.0.0.1:8000", "0.0.0.0:8001"], "disabled")


def test_gunicorn_workers_formula():
    from service.api.gunicorn_conf import default_workers

    assert default_workers(1) == 3 and default_workers(2) == 5 and default_workers(16) == 8
    assert default_workers(16, cap=64) == 33
