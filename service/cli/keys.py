"""``healthgeo keys create|list|revoke``: manage API keys in the service's Redis.

Wire into the CLI with ``keys.register(sub)`` where ``sub`` is the parser's
``add_subparsers(...)`` object; each command sets ``func`` and returns an exit status.
The Redis used is the service's (``REDIS_URL``, else the embedded one in
``HEALTHGEO_DATA_DIR``), with the same ``HEALTHGEO_KEY_PREFIX``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..messages import text
from .lang import default_language

__all__ = ["register"]


def _store() -> tuple[Any, str]:
    from ..config.settings import load_config
    from ..store import connect

    cfg = load_config()
    store = connect(cfg)
    if store.client is None:
        raise RuntimeError(store.error or "redis is not configured")
    return store.client, cfg["KEY_PREFIX"]


def _run(fn, args: argparse.Namespace) -> int:
    import redis

    from ..api.auth.keys import KeyAdminError
    from ..config.errors import ConfigError

    args.lang = getattr(args, "lang", None) or default_language()
    try:
        return fn(args)
    except KeyAdminError as e:
        print(f"healthgeo keys: {e.message(args.lang)}", file=sys.stderr)
        return 1
    except (ConfigError, RuntimeError, redis.RedisError, OSError) as e:
        print(f"healthgeo keys: {text('keys.no-redis', args.lang, error=str(e))}", file=sys.stderr)
        return 2


def _create(args: argparse.Namespace) -> int:
    from ..api.auth.keys import create_key

    r, prefix = _store()
    key, record = create_key(r, args.name, prefix, tenant=args.tenant, scopes=args.scope)
    print(key)
    scopes = record["scopes"].split()
    print(text("keys.created", args.lang, name=record["name"], prefix=record["prefix"], tenant=record["tenant"],
               scopes=scopes, count=len(scopes), created=record["created"]), file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from ..api.auth.keys import list_keys

    r, prefix = _store()
    records = list_keys(r, prefix)
    if args.json:
        print(json.dumps([{k: rec.get(k) for k in ("name", "prefix", "tenant", "scopes", "created")}
                          for rec in records], indent=2))
        return 0
    if not records:
        print(text("keys.none", args.lang), file=sys.stderr)
        return 0
    columns = ("name", "prefix", "tenant", "scopes", "created")
    rows = [[text(f"keys.col-{c}", args.lang) for c in columns]]
    rows += [[str(rec.get(c, "")) for c in columns] for rec in records]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns) - 1)]
    for row in rows:
        print("  ".join([cell.ljust(w) for cell, w in zip(row, widths, strict=False)] + [row[-1]]))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ..api.auth.keys import revoke

    r, prefix = _store()
    rec = revoke(r, args.key, prefix)
    print(text("keys.revoked", args.lang, name=rec.get("name"), prefix=rec.get("prefix")))
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``keys`` command (with create, list, revoke) to ``subparsers``."""
    from ..api.auth.tenants import SCOPES

    keys = subparsers.add_parser("keys", help="manage API keys (stored as SHA-256 hashes in Redis)")
    keys.add_argument("--lang", choices=("en", "fr"), help="language of the messages (default: HEALTHGEO_LANG, "
                                                             "else en)")
    sub = keys.add_subparsers(dest="keys_command", required=True)

    create = sub.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True, help="a unique name for the key's holder")
    create.add_argument("--tenant", metavar="NAME",
                        help="the tenant whose audits and batches the key reads and creates (default: its own); "
                             "give an existing key's tenant to share its results or to rotate it")
    create.add_argument("--scope", action="append", choices=SCOPES, metavar="SCOPE",
                        help=f"what the key may do, repeatable: {', '.join(SCOPES)} (default: audit and batch; "
                             "admin sees every tenant's results)")
    create.set_defaults(func=lambda a: _run(_create, a))

    lst = sub.add_parser("list", help="list keys (name, shown prefix, tenant, scopes, creation time)")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=lambda a: _run(_list, a))

    rev = sub.add_parser("revoke", help="revoke a key by name or by the prefix shown in 'keys list'")
    rev.add_argument("key", metavar="NAME_OR_PREFIX")
    rev.set_defaults(func=lambda a: _run(_revoke, a))
    return keys
