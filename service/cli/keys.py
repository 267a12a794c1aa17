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

    try:
        return fn(args)
    except KeyAdminError as e:
        print(f"healthgeo keys: {e}", file=sys.stderr)
        return 1
    except (ConfigError, RuntimeError, redis.RedisError, OSError) as e:
        print(f"healthgeo keys: cannot reach Redis ({e})", file=sys.stderr)
        return 2


def _create(args: argparse.Namespace) -> int:
    from ..api.auth.keys import create_key

    r, prefix = _store()
    key, record = create_key(r, args.name, prefix, tenant=args.tenant, scopes=args.scope)
    print(key)
    print(f"created key {record['name']!r} ({record['prefix']}...) for tenant {record['tenant']!r} with scopes "
          f"{record['scopes']} at {record['created']}; it is shown only this once: store it now", file=sys.stderr)
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
        print("no API keys", file=sys.stderr)
        return 0
    width = max(4, *(len(rec.get("name", "")) for rec in records))
    tenant_width = max(6, *(len(rec.get("tenant", "")) for rec in records))
    print(f"{'NAME':<{width}}  {'PREFIX':<10}  {'TENANT':<{tenant_width}}  {'SCOPES':<17}  CREATED")
    for rec in records:
        print(f"{rec.get('name', ''):<{width}}  {rec.get('prefix', ''):<10}  {rec.get('tenant', ''):<{tenant_width}}  "
              f"{rec.get('scopes', ''):<17}  {rec.get('created', '')}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ..api.auth.keys import revoke

    r, prefix = _store()
    rec = revoke(r, args.key, prefix)
    print(f"revoked key {rec.get('name')!r} ({rec.get('prefix')}...)")
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``keys`` command (with create, list, revoke) to ``subparsers``."""
    from ..api.auth.tenants import SCOPES

    keys = subparsers.add_parser("keys", help="manage API keys (stored as SHA-256 hashes in Redis)")
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
