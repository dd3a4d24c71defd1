"""Content keys: what identifies the rules of a law or a framework, and an evaluation.

A key is a SHA-256 of

- the **content** of the laws that evaluation reads — every law's id, parameters,
  definitions and provisions with their rules, amendments already applied — and not their
  prose (texts, headings, titles, versions, sources, article numbers), their file names or
  commits: two versions of a draft that differ only in wording have the same key, and a
  key can never stand for rules it was not computed from (:func:`framework_key`,
  :func:`law_key`);
- for an evaluation (:func:`coverage_key`, :func:`cache_key`), also the population's
  :attr:`~kzrehab.population.Population.digest` (a cache serves an entry only once the
  population's columns are checked against it:
  :attr:`~kzrehab.population.Population.verified_digest`; an entry it makes is made from
  columns checked as they were read), the assessment date, every limit
  in force (:func:`kzrehab.limits.fingerprint`: a result computed under raised limits is
  never served to a run whose limits reject the drafts), :data:`CACHE_FORMAT` and the
  kzrehab version.

The cache of the tracker (:mod:`kzrehab.tracker.cache`) files its entries under these
keys, and a comparison (:mod:`kzrehab.comparison`) uses them to tell whether two
frameworks have the same rules; so they sit below both.
"""

from __future__ import annotations

__all__ = ["CACHE_FORMAT", "framework_key", "law_key", "cache_key", "coverage_key"]

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .laws.provisions import PROSE_FIELDS as _PROSE
from .laws.provisions import Amendment, Law

if TYPE_CHECKING:
    from .laws.framework import Framework
    from .population import Population

#: bumped whenever the layout of an entry or the meaning of its arrays changes
CACHE_FORMAT = 2



def _canon(value: object, amendments: bool = False) -> Any:
    """A JSON-able form of a law's content, prose left out.

    A law's amendments are left out unless ``amendments``: once applied, what they did
    is in the provisions they changed.
    """
    if isinstance(value, Law):
        provisions = []
        for p in value.provisions():
            if isinstance(p, Amendment):
                if amendments:
                    changes = {k: v for k, v in p.changes.items() if k != "text"}
                    provisions.append(["Amendment", {"id": p.id, "law": p.law,
                                                     "target": p.target, "action": p.action,
                                                     "changes": _canon(changes)}])  # fmt: skip
            else:
                provisions.append(_canon(p))
        return {"id": value.id, "parameters": _canon(value.parameters),
                "definitions": _canon(value.definitions), "provisions": provisions}  # fmt: skip
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))  # type: ignore[arg-type]
        return [type(value).__name__,
                {f.name: _canon(getattr(value, f.name)) for f in fields if f.name not in _PROSE}]
    if isinstance(value, Mapping):
        return {str(k): _canon(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return repr(value)


def framework_key(framework: Framework) -> str:
    """SHA-256 of the content of a framework's (amended) laws that evaluation reads."""
    laws = sorted(framework.laws, key=lambda law: law.id)
    text = json.dumps([_canon(law) for law in laws], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def law_key(law: Law) -> str:
    """SHA-256 of the content of one law as written (amendments included) that evaluation
    reads: equal for two versions that differ only in prose or layout."""
    text = json.dumps(_canon(law, amendments=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(kind: str, parts: Iterable[str], population: Population, as_of: dt.date) -> str:
    """The key of a cache entry of ``kind`` made from ``parts`` (content ids) over
    ``population`` at ``as_of``, under this kzrehab version and the limits in force."""
    from ._version import __version__
    from .limits import fingerprint

    text = "\n".join([f"kzrehab-{kind}/{CACHE_FORMAT}", __version__, fingerprint(), *parts,
                      population.digest, as_of.isoformat()])  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def coverage_key(framework: Framework, population: Population, as_of: dt.date) -> str:
    """The key of the coverage of ``framework`` over ``population`` at ``as_of``."""
    return cache_key("coverage", [framework_key(framework)], population, as_of)
