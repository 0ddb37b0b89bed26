"""Pictures drawn on the server as inline SVG: no script, no CDN, every text escaped, links by url_for.

The accusation network (actors on a circle, accusations as arrows weighted by count and coloured
by category) and the timeline of a claim's assertions and denials. The data comes from services
(the contradiction report's edges, `services.pages.timeline`); only the drawing lives here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from claimdb.models import values
from claimdb.services.pages.timeline import TimelinePoint

# Colour-blind-safe palette (Okabe–Ito); the rest of the categories share grey.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
OTHER = "#999999"
STANCE_COLOURS = {"asserts": "#0072B2", "denies": "#D55E00", "questions": "#E69F00", "reports": "#999999"}


def _e(value: Any) -> str:
    return str(escape("" if value is None else str(value)))


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def category_colours(edges: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The most frequent categories get the palette, in order; the legend lists them the same way."""
    weight: Counter[str] = Counter()
    for e in edges:
        weight[e["category"] or "uncategorized"] += e["count"]
    ordered = [c for c, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {c: PALETTE[i] if i < len(PALETTE) else OTHER for i, c in enumerate(ordered)}


def node_radius(degree: int) -> int:
    """Busier actors get bigger circles, within reason."""
    return 5 + min(9, degree)


def accusation_network_svg(edges: Sequence[dict[str, Any]], *, size: int = 640) -> Markup:
    """Actors on a circle, busiest first; an arrow per (accuser, accused, category), width by count."""
    if not edges:
        return Markup('<p class="empty">No accusations in this selection.</p>')
    degree: Counter[int] = Counter()
    names: dict[int, str] = {}
    for e in edges:
        for end in ("accuser", "accused"):
            degree[e[end]["id"]] += e["count"]
            names[e[end]["id"]] = e[end]["name"] or f"#{e[end]['id']}"
    nodes = [a for a, _ in sorted(degree.items(), key=lambda kv: (-kv[1], names[kv[0]]))]
    centre, radius = size / 2, size / 2 - 110
    position = {a: (centre + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
                    centre + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
                for i, a in enumerate(nodes)}
    colours = category_colours(edges)
    heaviest = max(e["count"] for e in edges)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="picture network" viewBox="0 0 {size} '
             f'{size + 24 * ((len(colours) + 2) // 3)}" role="img" aria-labelledby="network-title network-desc">',
             '<title id="network-title">Accusation network</title>',
             f'<desc id="network-desc">{len(nodes)} actors, {len(edges)} accusation links; arrows point from '
             'accuser to accused, thicker for more accusations.</desc>', "<defs>"]
    for colour in sorted(set(colours.values())):
        parts.append(f'<marker id="arrow-{colour[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" '
                     'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
                     f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    parts.append("</defs>")
    bends: Counter[tuple[int, int]] = Counter()
    for e in edges:
        a, b = e["accuser"]["id"], e["accused"]["id"]
        (x1, y1), (x2, y2) = position[a], position[b]
        bends[(a, b)] += 1
        bend = 18 * bends[(a, b)]  # curve to the right of travel, so A→B and B→A never overlap
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1
        ux, uy = dx / length, dy / length
        ra, rb = node_radius(degree[a]) + 2, node_radius(degree[b]) + 2
        sx, sy, ex, ey = x1 + ux * ra, y1 + uy * ra, x2 - ux * rb, y2 - uy * rb
        cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        colour = colours[e["category"] or "uncategorized"]
        width = 1 + 4 * math.sqrt(e["count"] / heaviest)
        label = f"{names[a]} accuses {names[b]} of {e['category'] or 'uncategorized'}: {e['count']}"
        parts.append(f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                     f'stroke="{colour}" stroke-width="{width:.1f}" stroke-opacity="0.8" '
                     f'marker-end="url(#arrow-{colour[1:]})"><title>{_e(label)}</title></path>')
    for a in nodes:
        x, y = position[a]
        angle = math.atan2(y - centre, x - centre)
        lx, ly = x + 18 * math.cos(angle), y + 18 * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else ("end" if math.cos(angle) < -0.2 else "middle")
        href = url_for("web.actors_detail", record_id=a)
        parts.append(f'<a href="{href}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{node_radius(degree[a])}" '
                     f'fill="#fff" stroke="#333" stroke-width="2"><title>{_e(names[a])}: {degree[a]} accusations '
                     f'made or received</title></circle><text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" '
                     f'font-size="12">{_e(_short(names[a]))}</text></a>')
    for i, (category, colour) in enumerate(colours.items()):
        x, y = 10 + (i % 3) * (size / 3), size + 12 + 24 * (i // 3)
        parts.append(f'<rect x="{x:.0f}" y="{y - 9:.0f}" width="14" height="10" fill="{colour}"/>'
                     f'<text x="{x + 20:.0f}" y="{y:.0f}" font-size="12">{_e(_short(category, 30))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def claim_timeline_svg(rows: Sequence[TimelinePoint], *, width: int = 720) -> Markup:
    """Each statement on the claim as a dot on its date, one lane per stance; undated ones at the end."""
    if not rows:
        return Markup('<p class="empty">No statement bears on this claim yet.</p>')
    lanes = [s for s in values.Stance if any(r.stance == s for r in rows)]
    dated = [r.stated for r in rows if r.stated is not None]
    left, right, lane_h = 90, width - 70, 40
    height = 40 + lane_h * len(lanes) + 30
    first, last = (min(dated), max(dated)) if dated else (dt.date.today(), dt.date.today())
    span = max((last - first).days, 1)

    def x_of(day: dt.date | None) -> float:
        if day is None:
            return right + 40
        return left + (right - left) * ((day - first).days / span if dated and last != first else 0.5)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="picture timeline" viewBox="0 0 {width} {height}" '
             'role="img" aria-labelledby="timeline-title">',
             f'<title id="timeline-title">Timeline of the {len(rows)} statements on this claim, by stance</title>']
    for i, stance in enumerate(lanes):
        y = 30 + lane_h * i + lane_h / 2
        label, colour = values.Stance[stance].capitalize(), STANCE_COLOURS.get(stance, OTHER)
        parts.append(f'<text x="8" y="{y + 4:.0f}" font-size="12">{label}</text>'
                     f'<line x1="{left}" x2="{right}" y1="{y:.0f}" y2="{y:.0f}" stroke="#ddd"/>')
        seen: Counter[float] = Counter()
        for r in rows:
            if r.stance != stance:
                continue
            x = x_of(r.stated)
            seen[round(x)] += 1
            jitter = (seen[round(x)] - 1) * 5
            when = r.stated.isoformat()[: {"year": 4, "month": 7}.get(r.precision or "", 10)] if r.stated \
                else "undated"
            if r.from_source:
                when += ", the source's date: the statement has none"
            # A statement dated by its source is a hollow dot: placed, but not dated by itself.
            paint = f'fill="#fff" stroke="{colour}" stroke-width="2"' if r.from_source else f'fill="{colour}"'
            parts.append(f'<a href="{url_for("web.statements_detail", record_id=r.statement_id)}"><circle '
                         f'cx="{x:.1f}" cy="{y - jitter:.1f}" r="5" {paint}><title>{_e(r.speaker)} {stance} '
                         f'({when}), statement #{r.statement_id}</title></circle></a>')
    axis_y = 30 + lane_h * len(lanes) + 14
    if dated:
        parts.append(f'<text x="{left}" y="{axis_y}" font-size="11">{first.isoformat()}</text>')
        if last != first:
            parts.append(f'<text x="{right}" y="{axis_y}" font-size="11" text-anchor="end">{last.isoformat()}</text>')
    if len(dated) < len(rows):
        parts.append(f'<text x="{right + 40}" y="{axis_y}" font-size="11" text-anchor="middle">undated</text>')
    borrowed = sum(1 for r in rows if r.from_source)
    if borrowed:
        parts.append(f'<text x="{left}" y="{axis_y + 16}" font-size="11">Hollow dots: {borrowed} statement'
                     f'{"s" if borrowed != 1 else ""} without a date, placed on the source\'s publication date.'
                     '</text>')
        parts[0] = parts[0].replace(f'0 0 {width} {height}', f'0 0 {width} {height + 16}')
    parts.append("</svg>")
    return Markup("".join(parts))
