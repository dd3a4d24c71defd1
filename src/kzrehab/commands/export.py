"""``export``: a law in another format (``--to akn``: Akoma Ntoso 3.0 XML)."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ._common import emit

#: the formats ``--to`` accepts
FORMATS = ("akn",)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="a law as Akoma Ntoso 3.0 XML",
        description="Write one law as Akoma Ntoso 3.0 XML: articles, provisions' text and "
                    "rules, lifecycle, and its amendments of other laws as modifications. "
                    "The law is checked first; its amendments are not applied.",
    )  # fmt: skip
    p.add_argument("law", metavar="LAW", help="a draft file")
    p.add_argument("--to", choices=FORMATS, required=True, help="the format (akn)")
    p.add_argument("--with", dest="others", nargs="+", default=[], metavar="LAW",
                   help="the laws it amends (files or directories; others are ignored): their "
                        "dates make the URIs of the amendments' destinations")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write the XML to FILE")
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from ..akn import akn_xml
    from ..laws.framework import Framework
    from ..laws.loader import expand_paths, load_law_file, load_laws

    paths = expand_paths([args.law])
    if len(paths) != 1:
        raise UsageError(f"export takes one law, and {args.law} holds {len(paths)} drafts: "
                         "name one file")  # fmt: skip
    law = load_law_file(paths[0])
    amended = {a.law for a in law.amendments}
    others = [o for o in load_laws(args.others) if o.id in amended and o.id != law.id]
    Framework([law, *others])  # type-checks every expression; bad input is exit 2
    emit(akn_xml(law, laws=others), args.output)
    return 0
