"""The peasants bill restates the 1993 law's definitions it compares its payment with
(``law1993_NAME``, "whichever is greater"): the rule language cannot make an amount depend
on another component being received. A restated definition must say what the 1993 law's
``NAME`` says, so that the two cannot drift apart unnoticed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "law1993_"


def _definitions(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        defs = tomllib.load(f)["definitions"]
    return {name: " ".join(str(text).split()) for name, text in defs.items()}


def test_restated_1993_definitions_match_the_1993_law() -> None:
    law1993 = _definitions(ROOT / "drafts" / "current" / "rehabilitation-1993.toml")
    bill = _definitions(ROOT / "drafts" / "bills" / "peasants.toml")
    restated = {name[len(PREFIX):]: text for name, text in bill.items()
                if name.startswith(PREFIX) and name[len(PREFIX):] in law1993}  # fmt: skip
    assert len(restated) >= 10
    for name, text in restated.items():
        assert re.sub(rf"\b{PREFIX}", "", text) == law1993[name], (
            f"peasants' {PREFIX}{name} no longer says what the 1993 law's {name} says"
        )
