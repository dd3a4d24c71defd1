"""Static types of the rule language, as the checker infers them.

A :class:`Type` has a ``kind`` and, for enums, the enum's fact name (its values come from the
vocabulary). ``event`` marks an expression that reads the current event (event scope): it
is only meaningful inside ``events[...]``.
"""

from __future__ import annotations

__all__ = ["Type", "BOOL", "NUM", "DATE", "STR", "COUNTRY", "STRLIT", "EVENTS", "kind_word"]

import attrs

from ..i18n import N_, _

#: kinds: bool num date str country enum strlit set range events proj
KINDS = frozenset(
    {"bool", "num", "date", "str", "country", "enum", "strlit", "set", "range", "events", "proj"}
)


@attrs.frozen
class Type:
    """The type of an expression."""

    kind: str
    #: for ``enum``: the fact whose values it takes; for ``set``/``range``/``proj``: the kind
    #: of its elements (``num``, ``date``, ``strlit``)
    of: str = ""
    #: reads the current event: valid only inside an event filter
    event: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(_("unknown type kind {kind!r}").format(kind=self.kind))

    def at_event(self, event: bool) -> Type:
        """The same type with its event scope set."""
        return attrs.evolve(self, event=event)

    @property
    def scalar(self) -> bool:
        """A value a claim or event has (not a set, range, event set or projection)."""
        return self.kind in {"bool", "num", "date", "str", "country", "enum", "strlit"}

    @property
    def textual(self) -> bool:
        """Compared by equality with string literals: enums, strings, countries."""
        return self.kind in {"str", "country", "enum", "strlit"}

    def __str__(self) -> str:
        if self.kind == "enum":
            return _("'{fact}' value").format(fact=self.of)
        if self.kind == "set":
            return _("set of {of}").format(of=kind_word(self.of))
        if self.kind == "range":
            return _("range of {of}").format(of=kind_word(self.of))
        if self.kind == "proj":
            return _("event {of}s").format(of=kind_word(self.of))
        if self.kind == "events":
            return _("event set")
        if self.kind == "strlit":
            return _("string")
        if self.kind == "num":
            return _("number")
        return kind_word(self.kind)


#: the kinds as their names are shown (as they are in English), marked for the catalogs
_WORDS = {"num": N_("num"), "date": N_("date"), "strlit": N_("strlit"), "bool": N_("bool"),
          "str": N_("str"), "country": N_("country")}


def kind_word(kind: str) -> str:
    """A kind of value (``num``) as messages name it, in the language of output."""
    word = _WORDS.get(kind, kind)
    return _(word)

BOOL = Type("bool")
NUM = Type("num")
DATE = Type("date")
STR = Type("str")
COUNTRY = Type("country")
STRLIT = Type("strlit")
EVENTS = Type("events")
