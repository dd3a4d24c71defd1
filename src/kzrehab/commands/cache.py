"""``cache info`` and ``cache clear``: where the cache is, what it holds, and emptying it
(:mod:`kzrehab._cache`)."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _, decimal, ngettext, number
from ._common import emit

if TYPE_CHECKING:
    from .._cache import Entry


def register(sub: Any) -> None:
    p = sub.add_parser("cache", help=_("where the cache is, what it holds; empty it"),
                       description=_("Show the cache directory (the reference population, "
                                     "evaluated coverages, the tracker's records) and its "
                                     "size cap, or empty it. Everything in it is made again "
                                     "when needed."))  # fmt: skip
    actions: Any = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    actions.required = True

    i = actions.add_parser("info",
                           help=_("where the cache is, its size and cap, its entries"))
    i.add_argument("--format", choices=("text", "json"), default="text")
    i.set_defaults(run=run_info)

    c = actions.add_parser("clear", help=_("remove the cache's entries"))
    c.add_argument("--older-than", type=_days, metavar="DAYS",
                   help=_("only the entries last used more than DAYS days ago"))
    c.set_defaults(run=run_clear)


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        days = math.nan
    if not (math.isfinite(days) and days >= 0):
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a number of days (0 or more)").format(text=shown))
    return days


#: a size in each binary unit, as ``du -h`` and ``KZREHAB_CACHE_MAX`` count
_UNITS = (N_("{size} KiB"), N_("{size} MiB"), N_("{size} GiB"))
#: the kinds of entry (:data:`kzrehab._cache.KINDS`) as ``cache info`` names them
KIND_NAMES = {"population": N_("population"), "coverage": N_("coverage"),
              "records": N_("records")}  # fmt: skip


def _bytes(n: int) -> str:
    """``92.2 MiB``: binary units, as ``du -h`` and ``KZREHAB_CACHE_MAX`` count."""
    if n < 1024:
        return ngettext("{n} byte", "{n} bytes", n).format(n=number(n))
    size = n / 1024
    for unit in _UNITS:
        if size < 1024 or unit is _UNITS[-1]:
            return _(unit).format(size=decimal(size, places=1))
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _utc(t: float | None) -> str | None:
    if t is None:
        return None
    return dt.datetime.fromtimestamp(int(t), dt.UTC).isoformat()


def _local(t: float | None) -> str:
    if t is None:
        return "—"
    return dt.datetime.fromtimestamp(t).astimezone().strftime("%Y-%m-%d %H:%M")  # digits only


def info_document() -> dict[str, Any]:
    """The document of ``kzrehab cache info --format json`` (docs/json.rst)."""
    from .._cache import CACHE_MAX_ENV, KINDS, cache_max, entries
    from .._io import cache_dir

    root = cache_dir()
    found = entries(root)
    kinds = []
    for kind in KINDS:
        mine = [e for e in found if e.kind == kind]
        used = [e.last_used for e in mine]
        kinds.append({"kind": kind, "entries": len(mine), "size": sum(e.size for e in mine),
                      "last_used": _utc(max(used, default=None)),
                      "least_recently_used": _utc(min(used, default=None))})  # fmt: skip
    env = os.environ.get("KZREHAB_CACHE")
    cap_env = os.environ.get(CACHE_MAX_ENV)
    return {
        "schema": "kzrehab/2",
        "cache": {"directory": str(root), "set_by": "KZREHAB_CACHE" if env else "platform",
                  "exists": root.is_dir(), "size": sum(e.size for e in found),
                  "cap": cache_max(),
                  "cap_set_by": CACHE_MAX_ENV if cap_env and cap_env.strip() else "default"},
        "kinds": kinds,
        "entries": [_entry_json(e, root) for e in found],
    }  # fmt: skip


def _entry_json(e: Entry, root: os.PathLike[str]) -> dict[str, Any]:
    return {"kind": e.kind, "path": e.path.relative_to(root).as_posix(), "size": e.size,
            "last_used": _utc(e.last_used)}  # fmt: skip


def run_info(args: argparse.Namespace) -> int:
    import json

    doc = info_document()
    if args.format == "json":
        emit(json.dumps(doc, indent=2, ensure_ascii=False), None)
        return 0
    c = doc["cache"]
    where = ("KZREHAB_CACHE" if c["set_by"] == "KZREHAB_CACHE"
             else _("the platform's user cache directory; KZREHAB_CACHE overrides it"))
    cap = ("KZREHAB_CACHE_MAX" if c["cap_set_by"] != "default"
           else _("the default; KZREHAB_CACHE_MAX sets it"))  # fmt: skip
    made = (_("cache directory: {directory} ({set_by})") if c["exists"]
            else _("cache directory: {directory} ({set_by}) (empty: not made yet)"))
    lines = [
        made.format(directory=c["directory"], set_by=where),
        _("size: {size} of a cap of {cap} ({set_by})").format(
            size=_bytes(c["size"]), cap=_bytes(c["cap"]), set_by=cap),
        "",
    ]  # fmt: skip
    rows = [(_("kind"), _("entries"), _("size"), _("least recently used"), _("last used"))]
    for k in doc["kinds"]:
        kind = _(KIND_NAMES[k["kind"]]) if k["kind"] in KIND_NAMES else k["kind"]
        rows.append((kind, number(k["entries"]), _bytes(k["size"]),
                     _local(_epoch(k["least_recently_used"])), _local(_epoch(k["last_used"]))))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for n, r in enumerate(rows):
        lines.append("  ".join(cell.rjust(w) if 0 < i < 3 else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
                     .rstrip())  # fmt: skip
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", _("Least recently used entries are removed after a write once the cache "
                    "is above its cap; `kzrehab cache clear` empties it. `--format json` "
                    "lists every entry.")]  # fmt: skip
    emit("\n".join(lines), None)
    return 0


def _days_shown(days: float) -> str:
    """``2``, ``0.5``: as ``{days:g}`` writes them, with the language's decimal sign."""
    from babel.numbers import get_decimal_symbol

    from ..i18n import LOCALES, current

    return f"{days:g}".replace(".", get_decimal_symbol(LOCALES[current()]))


def _epoch(text: str | None) -> float | None:
    return None if text is None else dt.datetime.fromisoformat(text).timestamp()


def run_clear(args: argparse.Namespace) -> int:
    from .._cache import clear, entries
    from .._io import cache_dir

    root = cache_dir()
    older = None if args.older_than is None else args.older_than * 86400
    removed = clear(root, older_than=older)
    left = entries(root)
    n = len(removed)
    figures = {"n": number(n), "size": _bytes(sum(e.size for e in removed)), "root": root,
               "left": number(len(left)), "left_size": _bytes(sum(e.size for e in left))}
    if older is None:
        said = ngettext("removed {n} cache entry ({size}) from {root}; {left} left "
                        "({left_size})",
                        "removed {n} cache entries ({size}) from {root}; {left} left "
                        "({left_size})", n).format(**figures)  # fmt: skip
    else:
        said = ngettext("removed {n} cache entry last used more than {days} days ago "
                        "({size}) from {root}; {left} left ({left_size})",
                        "removed {n} cache entries last used more than {days} days ago "
                        "({size}) from {root}; {left} left ({left_size})", n).format(
            days=_days_shown(args.older_than), **figures)
    print(said)
    return 0
