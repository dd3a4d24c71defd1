"""Plain-text and Markdown renderings of coverage and explanations.

Reports show aggregates; personal facts of a claim appear only when asked for (``--claims``,
or ``explain`` of one claim by its id). Every report states the assessment date, the
population and whether it is synthetic.
"""

from __future__ import annotations

__all__ = ["coverage_text", "explain_text", "explain_json", "table", "money"]

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .coverage import SCHEMA, Coverage, Summaries, population_json
from .rules.interpreter import Trace
from .rules.values import K

if TYPE_CHECKING:
    from .laws.framework import ClaimResult, Framework
    from .model import Claim
    from .population import Population


def money(x: float | None) -> str:
    """An amount in tenge with thousands separators; ``∞`` for an unbounded side."""
    if x is None or math.isinf(x):
        return "∞"
    return f"{x:,.2f}"


def _range(r: dict[str, float | None] | None) -> str:
    if r is None:
        return "—"
    lo, hi = r["min"], r["max"]
    return money(lo) if lo == hi else f"{money(lo)} … {money(hi)}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], markdown: bool) -> str:
    """An aligned text table, or a Markdown table; numbers are right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    numeric = [all(_numeric(r[i]) for r in cells) and bool(cells) for i in range(len(headers))]
    if markdown:
        head = "| " + " | ".join(headers) + " |"
        rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
        body = ["| " + " | ".join(r) + " |" for r in cells]
        return "\n".join([head, rule, *body])
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, cells)])


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("…", "").replace(" ", "").isdigit()


def _heading(text: str, markdown: bool, level: int = 2) -> str:
    return f"{'#' * level} {text}" if markdown else f"{text}\n{'=' * len(text)}"


def _population_line(p: Population) -> str:
    kind = "SYNTHETIC population" if p.synthetic else "population"
    return (f"{kind} '{p.name}': {len(p):,} claims, {p.victims:,} victims, {p.events:,} events "
            f"(digest {p.digest[:12]})")  # fmt: skip


def coverage_text(cov: Summaries, markdown: bool = False, claims: bool = False) -> str:
    """The ``kzrehab coverage`` report."""
    fw = cov.framework
    counts = cov.counts()
    n = max(len(cov), 1)
    out = [
        _heading("Coverage of " + " + ".join(law.id for law in fw.laws), markdown, 1),
        "",
        f"Assessment date: {cov.as_of.isoformat()}",
        _population_line(cov.population),
        "Laws: " + "; ".join(
            f"{law.id} ({law.kind}, {law.status}{', ' + law.version if law.version else ''})"
            for law in fw.laws
        ),
        "",
        _heading("Status", markdown),
        "",
        table(
            ["status", "claims", "share"],
            [[s, f"{counts[s]:,}", f"{100 * counts[s] / n:.1f}%"]
             for s in ("eligible", "undetermined", "ineligible")],
            markdown,
        ),
        "",
        f"Coverage: {counts['eligible']:,} … {counts['eligible'] + counts['undetermined']:,} "
        "claims (eligible … eligible + undetermined)",
        "",
    ]  # fmt: skip
    sections = [
        ("By category", ["category", "eligible", "undetermined"], cov.by_category()),
        ("By ground", ["ground", "applies", "undetermined"], cov.by_ground()),
        ("By exclusion", ["exclusion", "holds", "undetermined"], cov.by_exclusion()),
    ]
    for title, headers, rows in sections:
        out += [_heading(title, markdown), "",
                table(headers, [[r[headers[0]], f"{r[headers[1]]:,}", f"{r[headers[2]]:,}"]
                                for r in rows], markdown), ""]  # fmt: skip
    out += [
        _heading("By component", markdown),
        "",
        table(["component", "kind", "claims", "undetermined", "total amount (KZT)"],
              [[r["component"], r["kind"], f"{r['claims']:,}", f"{r['undetermined']:,}",
                _range(r["amount"])] for r in cov.by_component()], markdown),
    ]  # fmt: skip
    if fw.notices:
        out += ["", _heading("Notices", markdown), ""] + [f"- {m}" for m in fw.notices]
    if claims and isinstance(cov, Coverage):
        rows = cov.claim_rows()
        out += ["", _heading("Claims", markdown), "",
                table(["claim", "status", "categories", "components"],
                      [[r["id"], r["status"], ", ".join(r["categories"]) or "—",
                        ", ".join(c["id"] for c in r["components"]) or "—"] for r in rows],
                      markdown)]  # fmt: skip
    return "\n".join(out) + "\n"


def explain_text(
    fw: Framework,
    claim: Claim,
    result: ClaimResult,
    population: Population,
    markdown: bool = False,
) -> str:
    """Why a claim is (not) eligible: provision by provision, with facts and events."""
    out = [
        _heading(f"Claim {claim.id}: {result.status}", markdown, 1),
        "",
        f"Assessment date: {result.as_of.isoformat()}",
        _population_line(population),
        f"Laws: {', '.join(fw.ids)}",
    ]
    if result.categories:
        out.append("Categories: " + ", ".join(f"{c} ({s})" for c, s in result.categories.items()))
    for law in fw.laws:
        if not law.grounds and not law.exclusions:
            continue
        out += ["", _heading(f"{law.id} — {law.title}", markdown)]
        for g in law.grounds:
            full = law.full_id(g.id)
            r = result.grounds[full]
            excl = [e for e in fw.covering[full] if result.exclusions[e].value is not K.FALSE]
            out += ["", f"ground {full} (art. {g.article or '—'}, category {g.category}): "
                    f"applies = {r.value}; condition = {r.when}"]  # fmt: skip
            if r.trace is not None:
                facts = r.trace.decisive_facts()
                events = r.trace.decisive_events()
                if facts:
                    out.append("  decided by: " + "; ".join(f"{f} = {v}" for f, v in facts[:12]))
                for m in events[:10]:
                    out.append(f"  {m.describe()}: {m.membership}")
            for e in excl:
                er = result.exclusions[e]
                out.append(f"  barred by exclusion {e}: holds = {er.value}")
                if er.trace is not None:
                    for t in er.trace.children:
                        facts = t.decisive_facts()
                        if facts:
                            out.append("    decided by: " + "; ".join(
                                f"{f} = {v}" for f, v in facts[:12]))  # fmt: skip
    if result.components:
        out += ["", _heading("Reparation", markdown), ""]
        rows = []
        for cid, how in result.components.items():
            comp = fw.components[cid][0]
            amount = result.amounts.get(cid)
            shown = (
                "—"
                if amount is None
                else (
                    money(amount.lo) if amount.known else f"{money(amount.lo)} … {money(amount.hi)}"
                )
            )
            rows.append([cid, comp.kind, how, shown])
        out.append(table(["component", "kind", "receives", "amount (KZT)"], rows, markdown))
    if fw.notices:
        out += ["", "Notices:"] + [f"- {m}" for m in fw.notices]
    return "\n".join(out) + "\n"


def _trace_json(trace: Trace) -> dict[str, Any]:
    return {
        "expression": trace.text,
        "value": trace.value,
        "decisive": trace.decisive,
        **({"fact": trace.fact} if trace.fact else {}),
        **({"events": [{"event": m.describe(), "membership": m.membership}
                       for m in trace.events]} if trace.events else {}),
        "children": [_trace_json(c) for c in trace.children],
    }  # fmt: skip


def explain_json(
    fw: Framework, claim: Claim, result: ClaimResult, population: Population
) -> dict[str, Any]:
    """The explanation as JSON: per provision its value and trace."""
    return {
        "schema": SCHEMA,
        "as_of": result.as_of.isoformat(),
        "population": population_json(population),
        "claim": claim.id,
        "status": result.status,
        "categories": dict(result.categories),
        "grounds": [{"id": g, "applies": str(r.value), "when": str(r.when),
                     "trace": _trace_json(r.trace) if r.trace else None}
                    for g, r in result.grounds.items()],
        "exclusions": [{"id": e, "holds": str(r.value),
                        "trace": _trace_json(r.trace) if r.trace else None}
                       for e, r in result.exclusions.items()],
        "components": [{"id": c, "receives": how,
                        "amount_range": None if result.amounts.get(c) is None else {
                            "min": result.amounts[c].lo, "max": result.amounts[c].hi}}  # type: ignore[union-attr]
                       for c, how in result.components.items()],
        "notices": list(fw.notices),
    }  # fmt: skip
