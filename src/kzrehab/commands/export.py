"""``export``: a law in another format (``--to akn``: Akoma Ntoso 3.0 XML), one expression
per language (``--expression``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import _, number
from ..languages import LANGUAGES
from ._common import check_output, emit

#: the formats ``--to`` accepts
FORMATS = ("akn",)
#: what ``--expression`` accepts: a language, or every language the law has
EXPRESSIONS = (*LANGUAGES, "all")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help=_("a law as Akoma Ntoso 3.0 XML"),
        description=_("Write one law as Akoma Ntoso 3.0 XML: articles, provisions' text and "
                      "rules, lifecycle, and its amendments of other laws as modifications. "
                      "The law is checked first; its amendments are not applied."),
    )  # fmt: skip
    p.add_argument("law", metavar="LAW", help=_("a draft file"))
    p.add_argument("--to", choices=FORMATS, required=True, help=_("the format (akn)"))
    p.add_argument("--with", dest="others", nargs="+", default=[], metavar="LAW",
                   help=_("the laws it amends (files or directories; others are ignored): "
                          "their dates make the URIs of the amendments' "
                          "destinations"))  # fmt: skip
    p.add_argument("--expression", choices=EXPRESSIONS, metavar="LANG",
                   help=_("the language of the expression: kk, ru or en (default: English, "
                          "else the law's first of Russian and Kazakh), or all: one file per "
                          "language the law has, into the directory -o DIR"))  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write the XML to FILE (with --expression all: the directory "
                          "DIR)"))  # fmt: skip
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from ..akn import akn_xml
    from ..laws.framework import Framework
    from ..laws.loader import expand_paths, load_law_file, load_laws

    paths = expand_paths([args.law])
    if len(paths) != 1:
        raise UsageError(_("export takes one law, and {path} holds {n} drafts: name one "
                           "file").format(path=args.law, n=number(len(paths))))
    law = load_law_file(paths[0])
    amended = {a.law for a in law.amendments}
    others = [o for o in load_laws(args.others) if o.id in amended and o.id != law.id]
    Framework([law, *others])  # type-checks every expression; bad input is exit 2
    if args.expression != "all":
        try:
            emit(akn_xml(law, laws=others, language=args.expression), args.output)
        except ValueError as exc:
            raise UsageError(f"{args.law}: {exc}") from None
        return 0
    _write_all(args, law, others)
    return 0


def _write_all(args: argparse.Namespace, law: Any, others: list[Any]) -> None:
    """Every expression of ``law``, one file each, into the directory ``-o DIR``."""
    from .._io import write_atomic
    from ..akn import akn_xml, expression_file_name
    from ..laws.provisions import languages_of

    if not args.output:
        raise UsageError(_("--expression all writes one file per language: give the "
                           "directory with -o DIR"))  # fmt: skip
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("-o {output} is not a directory: --expression all writes one "
                           "file per language into a directory").format(output=args.output))
    # every document is made, and every file checked, before the first is written
    documents = {expression_file_name(law, lang): akn_xml(law, laws=others, language=lang)
                 for lang in languages_of(law)}  # fmt: skip
    for name in documents:
        check_output(argparse.Namespace(**{**vars(args), "output": str(folder / name)}))
    if not folder.exists():
        try:
            folder.mkdir()
        except OSError as exc:
            raise UsageError(_("cannot make the directory {path}: {reason}").format(
                path=args.output, reason=exc.strerror)) from None
    for name, xml in documents.items():
        write_atomic(folder / name, xml)
