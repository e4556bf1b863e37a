"""The situation of a place as text: one line per fact, each with its evidence reference."""
from __future__ import annotations

from typing import Any, Optional

from frontlines.export.claims import amount
from frontlines.reading.events import outlet_id
from frontlines.situation import Holding, Situation, Source


def _who(actor: Optional[str], names: dict[str, str]) -> str:
    return names.get(actor, actor) if actor else "unknown"


def _ref(src: Source, names: dict[str, str]) -> str:
    """"[cc-1a2b…] Levant Wire 2016-07-18, claimed by Syrian rebels: “…”"."""
    outlet = outlet_id(src.outlet) if src.outlet else None
    who = ", ".join(names.get(a, a) for a in src.reported_by if a != outlet)
    status = src.status if src.status != "asserted" else "reported"
    by = f", {status} by {who}" if who else ", reported" if status == "reported" else f", {status} (source unnamed)"
    quote = " ".join((src.evidence or "").split())
    quote = quote if len(quote) <= 110 else quote[:109] + "…"
    return f"[{src.id}] {src.outlet or 'unknown outlet'} {src.published or '?'}{by}: “{quote}”"


def _figure_ref(fig: dict[str, Any], names: dict[str, str]) -> str:
    src = Source(fig["id"], fig.get("as_of"), fig["status"], fig.get("reported_by") or [], fig.get("outlet"),
                 fig.get("published"), fig.get("title"), fig.get("evidence_text"))
    return _ref(src, names)


def _count(n: int) -> str:
    """" (3 sources)": how many sources stand behind a line that lists only a few claims."""
    return f" ({n} source{'' if n == 1 else 's'})" if n else ""


def _holding(label: str, h: Holding, names: dict[str, str]) -> list[str]:
    if h.controller is None:
        return [f"{label}: no claim of who holds it"]
    who = _who(h.controller, names)
    if h.state == "divided":
        who = f"divided between {who} and {_who(h.other, names)}"
    if h.state == "contested":  # no side is preferred: each claim with its source
        others = sorted({_who(s.holder, names) for s in h.disputed_by})
        lines = [f"{label}: CONTESTED on {h.since}: {who} or {' or '.join(others)}"]
        for s in h.sources + h.disputed_by:
            lines.append(f"    {_who(s.holder, names)} holds it, says {_ref(s, names)}")
        return lines
    lines = [f"{label}: {who}, since {h.since}{_count(h.n_sources)}"]
    lines += [f"    {_ref(s, names)}" for s in h.sources[:3]]
    return lines


def format_situation(sit: Situation, names: dict[str, str]) -> str:
    lines = [f"{sit.place} — situation as of {sit.at or 'the latest report'}", ""]
    lines += _holding("held by", sit.holding, names)
    for route in sit.routes:
        lines += _holding(f"route {route.place}", route, names)
    siege = sit.siege
    lines.append("")
    if siege.status == "none":
        lines.append("siege: no report of a siege")
    else:
        head = {"besieged": f"BESIEGED since {siege.start}",
                "lifted": f"siege broken on {siege.end}" + (f" (besieged from {siege.start})" if siege.start else ""),
                "contested": f"siege broken on {siege.end} by some accounts, denied by others"
                             + (f" (besieged from {siege.start})" if siege.start else "")}[siege.status]
        lines.append(f"siege: {head}{_count(siege.n_sources)}; besieger {_who(siege.besieger, names)}, besieged {_who(siege.besieged, names)}")
        lines += [f"    {_ref(s, names)}" for s in siege.sources[:4]]
        lines += [f"    denied: {_ref(s, names)}" for s in siege.contested_by]
        for title, figs in (("trapped", siege.trapped), ("left through corridors", siege.evacuated),
                            ("aid delivered", siege.aid)):
            if figs:
                lines.append(f"  {title}:")
                lines += [f"    {f['as_of']}  {amount(f)}  {_figure_ref(f, names)}" for f in figs[-6:]]
        if siege.forecasts:
            lines.append("  forecasts:")
            for f in siege.forecasts:
                lines.append(f"    supplies run out by {f.get('projected_date') or '?'} ({f['due']}), said {f['as_of']}: "
                             f"{_figure_ref(f, names)}")
    if sit.figures:
        lines += ["", "latest figures:"]
        for kind, figs in sit.figures.items():
            for f in figs[:3]:
                lines.append(f"  {kind:<19} {amount(f):<26} as of {f['as_of']}  {_figure_ref(f, names)}")
    return "\n".join(lines)


def actor_ids(sit: Situation) -> set[str]:
    """Every actor id the text will name, for one name lookup."""
    ids: set[str] = set()
    holdings = [sit.holding, *sit.routes]
    for h in holdings:
        ids |= {h.controller, h.other} - {None}  # type: ignore[arg-type]
        for s in h.sources + h.disputed_by:
            ids |= set(s.reported_by)
    ids |= {sit.siege.besieger, sit.siege.besieged} - {None}  # type: ignore[arg-type]
    for s in sit.siege.sources + sit.siege.contested_by:
        ids |= set(s.reported_by)
    for figs in [sit.siege.trapped, sit.siege.evacuated, sit.siege.aid, sit.siege.forecasts, *sit.figures.values()]:
        for f in figs:
            ids |= set(f.get("reported_by") or [])
    return ids


__all__ = ["actor_ids", "format_situation"]
