"""``healthgeo keys create|list|revoke`` through service.cli.keys.register, on the test Redis."""

from __future__ import annotations

import argparse
import json

import pytest

from service.api.auth.keys import KeyAdminError, create_key, hash_key, list_keys, lookup, revoke
from service.cli import keys as cli_keys
from tests import redis_helper


@pytest.fixture
def prefix(monkeypatch):
    p = redis_helper.new_prefix()
    monkeypatch.setenv("REDIS_URL", redis_helper.redis_url())
    monkeypatch.setenv("HEALTHGEO_KEY_PREFIX", p)
    yield p
    redis_helper.cleanup(p)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="healthgeo")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_keys.register(sub)
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_create_list_revoke(prefix, capsys):
    assert run("keys", "create", "--name", "alice") == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert key.startswith("hg_") and len(key) > 40 and "only this once" in err
    r = redis_helper.client()
    assert lookup(r, key, prefix)["name"] == "alice"
    assert r.exists(f"{prefix}:key:{hash_key(key)}")

    assert run("keys", "create", "--name", "bob") == 0
    bob = capsys.readouterr().out.strip()
    assert run("keys", "list") == 0
    listing = capsys.readouterr().out
    assert "alice" in listing and "bob" in listing and key[:10] in listing
    assert key not in listing and bob not in listing
    assert run("keys", "list", "--json") == 0
    assert [k["name"] for k in json.loads(capsys.readouterr().out)] == ["alice", "bob"]

    assert run("keys", "create", "--name", "alice") == 1  # names are unique
    assert "exists" in capsys.readouterr().err

    assert run("keys", "revoke", bob[:10]) == 0  # by the shown prefix
    assert "bob" in capsys.readouterr().out
    assert lookup(r, bob, prefix) is None
    assert run("keys", "revoke", "alice") == 0  # by name
    assert run("keys", "revoke", "alice") == 1
    assert "no key matches" in capsys.readouterr().err
    assert list_keys(r, prefix) == []
    r.close()


def test_invalid_names_and_ambiguous_prefixes(prefix):
    r = redis_helper.client()
    with pytest.raises(KeyAdminError):
        create_key(r, "has space", prefix)
    with pytest.raises(KeyAdminError):
        create_key(r, "", prefix)
    for digest, name in (("a" * 64, "one"), ("b" * 64, "two")):  # two keys whose shown prefixes collide
        r.hset(f"{prefix}:key:{digest}", mapping={"name": name, "created": "2026-01-01T00:00:00Z",
                                                   "prefix": "hg_ABCDEFG"})
    with pytest.raises(KeyAdminError, match="several"):
        revoke(r, "hg_ABCD", prefix)
    with pytest.raises(KeyAdminError, match="no key"):
        revoke(r, "hg_", prefix)  # too short to mean anything
    assert revoke(r, "two", prefix)["name"] == "two"
    assert revoke(r, "hg_ABCD", prefix)["name"] == "one"
    r.close()


def test_unreachable_redis_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("REDIS_URL", redis_helper.dead_redis_url())
    assert run("keys", "list") == 2
    assert "cannot reach Redis" in capsys.readouterr().err


def test_embedded_redis_persists_keys(tmp_path, monkeypatch, capsys):
    """Without REDIS_URL the keys live in the embedded Redis under HEALTHGEO_DATA_DIR."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("HEALTHGEO_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("HEALTHGEO_KEY_PREFIX", "healthgeo")
    assert run("keys", "create", "--name", "local") == 0
    key = capsys.readouterr().out.strip()
    from service.store import embedded_redis

    client = embedded_redis(str(tmp_path / "var"))
    assert lookup(client, key, "healthgeo")["name"] == "local"
    client.save()
    assert (tmp_path / "var" / "healthgeo.rdb").exists()


def test_key_commands_speak_french(prefix, capsys, monkeypatch):
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)
    assert run("keys", "--lang", "fr", "create", "--name", "alice", "--scope", "audit") == 0
    err = capsys.readouterr().err
    assert "clé « alice » créée" in err and "avec le droit audit" in err and "conservez-la maintenant" in err
    assert run("keys", "--lang", "fr", "list") == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split() == ["NOM", "PRÉFIXE", "CLIENT", "DROITS", "CRÉÉE", "LE"]
    assert run("keys", "--lang", "fr", "create", "--name", "alice") == 1
    assert "une clé nommée « alice » existe déjà" in capsys.readouterr().err
    monkeypatch.setenv("HEALTHGEO_LANG", "fr")  # the default language setting, without --lang
    assert run("keys", "revoke", "alice") == 0
    assert "clé « alice » révoquée" in capsys.readouterr().out
    assert run("keys", "revoke", "alice") == 1
    assert "aucune clé ne correspond à « alice »" in capsys.readouterr().err
    assert run("keys", "list") == 0
    assert "aucune clé d’API" in capsys.readouterr().err


def test_key_errors_are_codes_worded_in_each_language(prefix):
    r = redis_helper.client()
    with pytest.raises(KeyAdminError) as caught:
        create_key(r, "x", prefix, scopes=["audit", "fly", "swim"])
    error = caught.value
    assert error.code == "unknown-scope" and error.params["unknown"] == ["fly", "swim"]
    assert str(error).startswith("unknown scopes fly and swim: use ")
    assert error.message("fr").startswith("droits inconnus fly et swim\u00a0: utilisez ")
    with pytest.raises(KeyAdminError) as caught:
        create_key(r, "has space", prefix)
    assert caught.value.message("fr") == ("nom de clé invalide « has space »\u00a0: utilisez de 1 à 64 lettres, "
                                          "chiffres, « _ », « . », « @ » ou « - »")
    r.close()
