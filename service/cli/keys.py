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
from .help_texts import HelpTexts, add_command
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


def register(subparsers: Any, texts: HelpTexts | None = None) -> argparse.ArgumentParser:
    """Add the ``keys`` command (with create, list, revoke) to ``subparsers`` (help in ``texts``'s language)."""
    from ..api.auth.tenants import SCOPES

    texts = texts or HelpTexts()
    keys = add_command(subparsers, "keys", texts)
    keys.add_argument("--lang", choices=("en", "fr"), default=texts.lang, help=texts.help("keys.--lang"))
    sub = keys.add_subparsers(dest="keys_command", required=True)

    create = add_command(sub, "create", texts, key="keys.create")
    create.add_argument("--name", required=True, metavar=texts.metavar("NAME"), help=texts.help("keys.create.--name"))
    create.add_argument("--tenant", metavar=texts.metavar("NAME"), help=texts.help("keys.create.--tenant"))
    create.add_argument("--scope", action="append", choices=SCOPES, metavar=texts.metavar("SCOPE"),
                        help=texts.help("keys.create.--scope", scopes=", ".join(SCOPES)))
    create.set_defaults(func=lambda a: _run(_create, a))

    lst = add_command(sub, "list", texts, key="keys.list")
    lst.add_argument("--json", action="store_true", help=texts.help("keys.list.--json"))
    lst.set_defaults(func=lambda a: _run(_list, a))

    rev = add_command(sub, "revoke", texts, key="keys.revoke")
    rev.add_argument("key", metavar=texts.metavar("NAME_OR_PREFIX"), help=texts.help("keys.revoke.key"))
    rev.set_defaults(func=lambda a: _run(_revoke, a))
    return keys
