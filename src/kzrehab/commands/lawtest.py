"""``test``: run law test case files through both engines."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import _, date, ngettext, number


def register(sub: Any) -> None:
    p = sub.add_parser(
        "test",
        help=_("run law test cases (TOML case files) through both engines"),
        description=_("Run the law test cases in case files (directories: every *.toml in a "
                      "'cases' directory under them) through the interpreter and the "
                      "vectorised engine. Exit 0 when every case passes, 1 when one fails, 2 "
                      "on bad input."),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("case files or directories"))
    p.add_argument("-v", "--verbose", action="store_true",
                   help=_("list the cases that pass too"))  # fmt: skip
    p.set_defaults(run=run_test)


def run_test(args: argparse.Namespace) -> int:
    from ..lawtests import load_cases, run_cases

    results = run_cases(load_cases(args.paths))
    failed = [r for r in results if not r.passed]
    for r in results:
        if r.passed:
            if args.verbose:
                print(_("ok    {case}").format(case=r.case.where))
            continue
        print(_("FAIL  {case}").format(case=r.case.where))
        print("      " + _("laws: {laws}; as of {date}").format(laws=" ".join(r.case.laws),
                                                              date=date(r.case.as_of)))
        shown: set[tuple[str, ...]] = set()
        for f in r.failures:
            print(f"      [{f.engine}] " + _("{what}: expected {expected}, got {got}").format(
                what=f.what, expected=f.expected, got=f.got))
            if f.explanation and f.explanation not in shown:
                shown.add(f.explanation)
                print("      " + _("explain:"))
                for line in f.explanation:
                    print(f"        {line}")
        print("      " + _("reasoning: {text}").format(text=" ".join(r.case.reasoning.split())))
        print("      " + _("source: {text}").format(text=" ".join(r.case.source.split())))
    n = len(results)
    print(ngettext("{n} case: {passed} passed, {failed} failed",
                   "{n} cases: {passed} passed, {failed} failed", n)
          .format(n=number(n), passed=number(n - len(failed)), failed=number(len(failed))))
    return 1 if failed else 0
