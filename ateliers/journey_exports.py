"""Exports of a journey map, from its entry in the results document
(`ateliers.evidence.journey_document`, outputs.journeys): its CSV rows (in the evidence
CSV and the map's own CSV), its PDF section (templates/ateliers/pdf/_journey.html), and
SVG drawings of the map and its emotion curve (inline in the PDF; alone, for slides).

Nothing here computes a figure: counts, means and spreads are the document's (the curve
comes from participation.curves). Protected counts are written in words ("moins de 5",
"masqué"). SVG is built as an element tree, so participants' text is always escaped
text, never markup, and the drawing holds no script or link.
"""

import json
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ateliers.exports import (
    CSV_HEADER,
    count_text,
    csv_bytes,
    csv_row,
    decision_cells,
    mix_text,
    render_pdf,
)
from ateliers.models import Workshop
from participation.curves import SCALE

AXIS_LABELS = {-2: "−2", -1: "−1", 0: "0", 1: "+1", 2: "+2"}
FONT = "Marianne, Arial, sans-serif"
BLUE = "#000091"
INK = "#161616"
MUTED = "#666666"
# How each profile's line is drawn: colour, dash pattern and marker, so lines are told
# apart without colour too (the legend repeats each).
PROFILE_STYLES = (
    ("#b34000", "7 4", "square"),
    ("#18753c", "2 3", "triangle"),
    ("#a94645", "9 3 2 3", "diamond"),
    ("#6a6af4", "1 3", "circle"),
    ("#716043", "4 2", "square"),
)
LANE_FILLS = {"pain_points": "#fee9e6", "opportunities": "#dffdf7"}


# --- Words and numbers ------------------------------------------------------------------


def two_decimals(value: float | None) -> str:
    """ "0,75": two decimals and a comma, as the big screen shows the curve."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def feeling_text(value: float | None, *, plus: bool = True) -> str:
    """A point on −2…+2 as the big screen writes it: "−1,33", "+0,50", "0,00", with a
    true minus sign. `plus=False` for CSV cells: a cell starting with "+" would be
    taken for a formula (and neutralised with a "'")."""
    if value is None:
        return ""
    sign = "−" if value < 0 else "+" if value > 0 and plus else ""
    return sign + two_decimals(abs(value))


def stage_figures(stage: dict[str, Any], *, plus: bool = True) -> str:
    """Mean ± spread of one stage ("−1,33 ± 0,75"), or nothing when no one rated it or
    a profile's group was too small."""
    if not isinstance(stage.get("n"), int) or not stage["n"]:
        return ""
    return f"{feeling_text(stage.get('mean'), plus=plus)} ± {two_decimals(stage.get('sd'))}"


def profile_stage_text(profile: dict[str, Any], index: int) -> str:
    """One profile's figures on one stage, under the small-group rule."""
    if not isinstance(profile.get("raters"), int) or profile.get("stages") is None:
        return count_text(profile.get("raters"))
    stage = profile["stages"][index]
    if not isinstance(stage.get("n"), int):
        return count_text(stage.get("n"))
    if not stage["n"]:
        return _("aucune réponse")
    people = ngettext("%(n)d personne", "%(n)d personnes", stage["n"]) % {"n": stage["n"]}
    return f"{stage_figures(stage)} ({people})"


def profiles_of_stage(curve: dict[str, Any], index: int) -> str:
    """ "Usager·e : −1,33 ± 0,75 (6 personnes) ; Élu·e : moins de 5"."""
    return " ; ".join(
        f"{profile.get('label', '')} : {profile_stage_text(profile, index)}"
        for profile in curve.get("by_profile") or ()
    )


def _labels(entry: dict[str, Any], key: str) -> dict[str, str]:
    return {item["key"]: item["label"] for item in entry.get(key) or ()}


def cell_place(entry: dict[str, Any], stage: str | None, lane: str | None) -> tuple[str, str]:
    """(stage label, lane label) of a cell of the map."""
    return _labels(entry, "stages").get(stage or "", ""), _labels(entry, "lanes").get(
        lane or "", ""
    )


def withheld_text(count: int) -> str:
    return ngettext(
        "(%(n)d carte : texte non reproduit, parcours privé jamais révélé)",
        "(%(n)d cartes : texte non reproduit, parcours privé jamais révélé)",
        count,
    ) % {"n": count}


# --- CSV ----------------------------------------------------------------------------------


def journey_csv_rows(
    entry: dict[str, Any], decided: dict[tuple[str, int], dict[str, Any]] | None = None
) -> list[list[Any]]:
    """A map's rows with the evidence CSV's 15 columns. Section `parcours`: the map's
    facts, then one row per card (`colonne`: its stage, `valeur`: its lane); `ressenti`:
    one row per stage (`valeur`: mean ± spread, `personnes`: how many rated it,
    `profils`: each profile's figures under the small-group rule); `irritant`: the
    priority irritants voted on the map."""
    decided = decided or {}
    title = entry.get("title", "")
    stages, lanes = _labels(entry, "stages"), _labels(entry, "lanes")
    rows: list[list[Any]] = []
    facts = [
        (_("Parcours"), entry.get("horizon_label", "")),
        (_("Qui voyage (persona)"), entry.get("persona", "")),
        (_("Vers quel but (scénario)"), entry.get("scenario", "")),
        (_("Cartes"), entry.get("cards_count")),
        (_("Cartes masquées par l'animation (non reproduites)"), entry.get("hidden_cards_count")),
    ]
    rows += [csv_row("parcours", activity=title, item=label, value=value) for label, value in facts]
    for cell in entry.get("cells") or ():
        column, lane = stages.get(cell["stage"], ""), lanes.get(cell["lane"], "")
        if entry.get("texts_withheld"):
            if cell.get("cards_count"):
                item = withheld_text(cell["cards_count"])
                rows.append(
                    csv_row("parcours", activity=title, item=item, column=column, value=lane)
                )
            continue
        for card in cell.get("cards") or ():
            rows.append(
                csv_row(
                    "parcours",
                    activity=title,
                    item=card.get("text", ""),
                    value=lane,
                    column=column,
                    cluster=card.get("cluster") or "",
                    reactions=card.get("reactions"),
                    profiles=card.get("author_profile_label") or "",
                    **decision_cells(decided.get(("contribution", card.get("id")))),
                )
            )
    curve = entry.get("curve") or {}
    rows.append(
        csv_row(
            "ressenti",
            activity=title,
            item=_("Personnes qui ont noté au moins une étape"),
            people=curve.get("raters"),
            profiles=mix_text(
                [
                    {"label": p.get("label", ""), "count": p.get("raters")}
                    for p in curve.get("by_profile") or ()
                ]
            ),
        )
    )
    for index, stage in enumerate(curve.get("stages") or ()):
        rows.append(
            csv_row(
                "ressenti",
                activity=title,
                item=stage.get("label", ""),
                value=stage_figures(stage, plus=False),
                people=stage.get("n"),
                profiles=profiles_of_stage(curve, index),
            )
        )
    for irritant in entry.get("priority_irritants") or ():
        rows.append(
            csv_row(
                "irritant",
                activity=title,
                item=irritant.get("label", ""),
                column=stages.get(irritant.get("stage") or "", ""),
                value=lanes.get(irritant.get("lane") or "", ""),
                points=irritant.get("points"),
                rank=irritant.get("rank"),
                people=irritant.get("voters"),
                profiles=mix_text(irritant.get("voters_by_profile")),
                **decision_cells(decided.get(("vote_item", irritant.get("item_id")))),
            )
        )
    return rows


def journey_csv(entry: dict[str, Any], *, workshop_title: str) -> bytes:
    """The map alone, in the evidence CSV's dialect and columns."""
    rows = [csv_row("atelier", item=_("Atelier"), value=workshop_title)]
    return csv_bytes(CSV_HEADER, rows + journey_csv_rows(entry))


def journey_json(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, indent=2).encode("utf-8")


# --- SVG ----------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    """An SVG element; `font_size=11` is written font-size="11"."""
    values = {
        key.rstrip("_").replace("_", "-"): _number(v) if isinstance(v, float | int) else str(v)
        for key, v in attrs.items()
        if v is not None
    }
    element = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        element.text = text
    return element


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """At most `lines` lines of about `chars` characters, the last ending in "…" when
    the text is longer (SVG does not wrap text by itself)."""
    wrapped = textwrap.wrap(" ".join(text.split()), max(chars, 4), break_long_words=True)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(chars - 1, 1)].rstrip() + "…"
    return wrapped or [""]


def _text_lines(
    parent: ET.Element, lines: Sequence[str], x: float, y: float, line_height: float, **attrs: Any
) -> None:
    for n, line in enumerate(lines):
        _el(parent, "text", line, x=x, y=y + n * line_height, **attrs)


def _marker(parent: ET.Element, shape: str, x: float, y: float, colour: str) -> None:
    if shape == "square":
        _el(parent, "rect", x=x - 4, y=y - 4, width=8, height=8, fill=colour)
    elif shape == "triangle":
        points = f"{_number(x)},{_number(y - 5)} {_number(x + 5)},{_number(y + 4)} "
        points += f"{_number(x - 5)},{_number(y + 4)}"
        _el(parent, "polygon", points=points, fill=colour)
    elif shape == "diamond":
        points = f"{_number(x)},{_number(y - 5)} {_number(x + 5)},{_number(y)} "
        points += f"{_number(x)},{_number(y + 5)} {_number(x - 5)},{_number(y)}"
        _el(parent, "polygon", points=points, fill=colour)
    else:
        _el(parent, "circle", cx=x, cy=y, r=4, fill=colour)


def _segments(values: Sequence[float | None]) -> list[list[int]]:
    """Runs of consecutive stages that have a value (a line is not drawn across a
    stage nobody rated)."""
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def drawn_profiles(curve: dict[str, Any]) -> list[tuple[dict[str, Any], tuple[str, str, str]]]:
    """Profiles whose curve is given (enough people), each with its line style."""
    shown = [p for p in curve.get("by_profile") or () if p.get("stages") is not None]
    return [(p, PROFILE_STYLES[n % len(PROFILE_STYLES)]) for n, p in enumerate(shown)]


def curve_group(
    entry: dict[str, Any], *, xs: Sequence[float], left: float, right: float, top: float
) -> tuple[ET.Element, float]:
    """The emotion curve across the stages placed at `xs`: the mean line with each value
    written, the spread (mean ± standard deviation) as a band, one line per profile
    given, the number of people per stage, and a legend. Returns (group, height)."""
    curve = entry.get("curve") or {}
    stages = curve.get("stages") or []
    group = _el(None, "g", font_family=FONT)
    plot_h = 170
    bottom = top + plot_h

    def y_of(value: float) -> float:
        return top + (2 - max(-2.0, min(2.0, value))) / 4 * plot_h

    for value in SCALE:
        y = y_of(value)
        _el(
            group,
            "line",
            x1=left,
            y1=y,
            x2=right,
            y2=y,
            stroke="#929292" if value == 0 else "#dddddd",
            stroke_width=1,
        )
        _el(
            group,
            "text",
            AXIS_LABELS[value],
            x=left - 8,
            y=y + 4,
            font_size=11,
            text_anchor="end",
            fill=INK,
        )
    means = [s.get("mean") for s in stages]
    for run in _segments(means):
        if len(run) == 1:
            index = run[0]
            mean, sd = means[index], stages[index].get("sd") or 0
            high, low = y_of(mean + sd), y_of(mean - sd)
            _el(
                group,
                "rect",
                x=xs[index] - 14,
                y=high,
                width=28,
                height=max(low - high, 1),
                fill="#cacafb",
                fill_opacity=0.7,
            )
            continue
        upper = [
            f"{_number(xs[i])},{_number(y_of(means[i] + (stages[i].get('sd') or 0)))}" for i in run
        ]
        lower = [
            f"{_number(xs[i])},{_number(y_of(means[i] - (stages[i].get('sd') or 0)))}"
            for i in reversed(run)
        ]
        _el(group, "polygon", points=" ".join(upper + lower), fill="#cacafb", fill_opacity=0.7)
    for profile, (colour, dash, shape) in drawn_profiles(curve):
        values = [s.get("mean") if isinstance(s.get("n"), int) else None for s in profile["stages"]]
        for run in _segments(values):
            if len(run) > 1:
                points = " ".join(f"{_number(xs[i])},{_number(y_of(values[i]))}" for i in run)
                _el(
                    group,
                    "polyline",
                    points=points,
                    fill="none",
                    stroke=colour,
                    stroke_width=2,
                    stroke_dasharray=dash,
                )
            for i in run:
                _marker(group, shape, xs[i], y_of(values[i]), colour)
    for run in _segments(means):
        if len(run) > 1:
            points = " ".join(f"{_number(xs[i])},{_number(y_of(means[i]))}" for i in run)
            _el(group, "polyline", points=points, fill="none", stroke=BLUE, stroke_width=3)
        for i in run:
            _el(group, "circle", cx=xs[i], cy=y_of(means[i]), r=5, fill=BLUE)
            _el(
                group,
                "text",
                feeling_text(means[i]),
                x=xs[i] + 8,
                y=y_of(means[i]) - 8,
                font_size=12,
                font_weight="bold",
                fill=BLUE,
            )
    column = (right - left) / max(len(xs), 1)
    for index, stage in enumerate(stages):
        lines = wrap(stage.get("label", ""), int(column / 6.2), 2)
        _text_lines(
            group, lines, xs[index], bottom + 18, 13, font_size=11, text_anchor="middle", fill=INK
        )
        n = stage.get("n") or 0
        said = (
            ngettext("%(n)d personne", "%(n)d personnes", n) % {"n": n}
            if n
            else _("aucune réponse")
        )
        _el(
            group,
            "text",
            said,
            x=xs[index],
            y=bottom + 48,
            font_size=10,
            text_anchor="middle",
            fill=MUTED,
        )
    legend_y = bottom + 72
    items: list[tuple[str, str, str, str]] = [
        (BLUE, "", "circle", _("Moyenne de toutes les personnes (valeur écrite)")),
    ]
    for profile, (colour, dash, shape) in drawn_profiles(curve):
        people = ngettext("%(n)d personne", "%(n)d personnes", profile["raters"]) % {
            "n": profile["raters"]
        }
        items.append((colour, dash, shape, f"{profile.get('label', '')} ({people})"))
    x = left
    _el(group, "rect", x=x, y=legend_y - 8, width=22, height=12, fill="#cacafb", fill_opacity=0.7)
    _el(group, "text", _("Moyenne ± écart-type"), x=x + 28, y=legend_y + 2, font_size=10, fill=INK)
    y = legend_y + 18
    for colour, dash, shape, label in items:
        _el(
            group,
            "line",
            x1=x,
            y1=y - 3,
            x2=x + 22,
            y2=y - 3,
            stroke=colour,
            stroke_width=3 if not dash else 2,
            stroke_dasharray=dash or None,
        )
        _marker(group, shape, x + 11, y - 3, colour)
        _el(group, "text", label, x=x + 28, y=y + 1, font_size=10, fill=INK)
        y += 16
    hidden = [
        f"{p.get('label', '')} : {count_text(p.get('raters'))}"
        for p in curve.get("by_profile") or ()
        if p.get("stages") is None
    ]
    if hidden:
        note = _("Profils non tracés (petits groupes) : %(list)s") % {"list": " ; ".join(hidden)}
        _el(group, "text", note, x=x, y=y + 1, font_size=10, fill=MUTED)
        y += 16
    return group, y - top + 4


def _svg_root(width: float, height: float, title: str) -> ET.Element:
    root = _el(
        None,
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=width,
        height=height,
        viewBox=f"0 0 {_number(width)} {_number(height)}",
        role="img",
        aria_label=title,
    )
    _el(root, "title", title)
    return root


def curve_title(entry: dict[str, Any]) -> str:
    return _("Courbe des ressentis de « %(title)s », de −2 à +2, par étape") % {
        "title": entry.get("title", "")
    }


def curve_svg(entry: dict[str, Any], *, width: float = 960) -> str:
    """The emotion curve alone (the PDF's chart)."""
    stages = (entry.get("curve") or {}).get("stages") or []
    left, right = 60.0, width - 20
    column = (right - left) / max(len(stages), 1)
    xs = [left + column * (n + 0.5) for n in range(len(stages))]
    group, height = curve_group(entry, xs=xs, left=left, right=right, top=14)
    root = _svg_root(width, height + 20, curve_title(entry))
    root.append(group)
    return ET.tostring(root, encoding="unicode")


# The map's grid, in the SVG drawing.
MARGIN, LANE_W, COL_W = 24, 170, 190
CARD_FONT, LINE_H, CARD_PAD, CARD_GAP, CARD_LINES = 11, 14, 6, 6, 6
CARD_CHARS = int((COL_W - 12 - 2 * CARD_PAD) / (CARD_FONT * 0.55))


def shown_lanes(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Lanes drawn: those open, and those turned off that still hold cards."""
    return [lane for lane in entry.get("lanes") or () if lane.get("enabled") or lane["cards_count"]]


def _card_height(card: dict[str, Any]) -> float:
    lines = len(wrap(card.get("text", ""), CARD_CHARS, CARD_LINES))
    return lines * LINE_H + 2 * CARD_PAD + (LINE_H if card.get("cluster") else 0)


def map_svg(entry: dict[str, Any], *, workshop_title: str) -> str:
    """The map as one image (for slides): its frame, the grid of stages × lanes with
    each card, and the emotion curve under the stages."""
    stages = entry.get("stages") or []
    lanes = shown_lanes(entry)
    cells = {(c["stage"], c["lane"]): c for c in entry.get("cells") or ()}
    width = 2 * MARGIN + LANE_W + COL_W * max(len(stages), 1)
    content = _el(None, "g", font_family=FONT)
    y = MARGIN + 24
    _el(
        content,
        "text",
        entry.get("title", ""),
        x=MARGIN,
        y=y,
        font_size=24,
        font_weight="bold",
        fill=BLUE,
    )
    frame = [entry.get("horizon_label", "")]
    if entry.get("pair_title"):
        frame[0] += " " + _("(apparié à « %(title)s »)") % {"title": entry["pair_title"]}
    if entry.get("persona"):
        frame.append(_("Qui voyage : %(who)s") % {"who": entry["persona"]})
    if entry.get("scenario"):
        frame.append(_("Vers quel but : %(goal)s") % {"goal": entry["scenario"]})
    line_chars = int((width - 2 * MARGIN) / 7.5)
    for line in wrap(" — ".join(frame), line_chars, 2):
        y += 22
        _el(content, "text", line, x=MARGIN, y=y, font_size=14, fill=INK)
    y += 20
    summary = _("Atelier « %(workshop)s » — %(cards)s ; %(raters)s") % {
        "workshop": workshop_title,
        "cards": ngettext("%(n)d carte", "%(n)d cartes", entry.get("cards_count") or 0)
        % {"n": entry.get("cards_count") or 0},
        "raters": ngettext(
            "%(n)d personne a dit son ressenti",
            "%(n)d personnes ont dit leur ressenti",
            (entry.get("curve") or {}).get("raters") or 0,
        )
        % {"n": (entry.get("curve") or {}).get("raters") or 0},
    }
    _el(content, "text", summary, x=MARGIN, y=y, font_size=12, fill=MUTED)
    if entry.get("texts_withheld"):
        y += 18
        _el(
            content,
            "text",
            _(
                "Parcours privé jamais révélé à la salle : les cartes sont "
                "comptées, leur texte n'est pas reproduit."
            ),
            x=MARGIN,
            y=y,
            font_size=12,
            fill="#b34000",
        )
    # Stage headers
    y += 16
    x0 = MARGIN + LANE_W
    header_h = 46
    for n, stage in enumerate(stages):
        x = x0 + n * COL_W
        _el(content, "rect", x=x + 2, y=y, width=COL_W - 4, height=header_h, fill=BLUE)
        _el(
            content,
            "text",
            f"{n + 1}",
            x=x + 10,
            y=y + 18,
            font_size=11,
            fill="#cacafb",
            font_weight="bold",
        )
        lines = wrap(stage.get("label", ""), int((COL_W - 34) / 7), 2)
        _text_lines(
            content, lines, x + 26, y + 18, 15, font_size=13, font_weight="bold", fill="#ffffff"
        )
    y += header_h + 4
    # Lanes
    for lane in lanes:
        heights = []
        for stage in stages:
            cell = cells.get((stage["key"], lane["key"])) or {}
            if entry.get("texts_withheld"):
                heights.append(LINE_H * 3 if cell.get("cards_count") else 0)
            else:
                cards = cell.get("cards") or []
                heights.append(sum(_card_height(c) + CARD_GAP for c in cards))
        row_h = max([44.0, *[h + 2 * CARD_GAP for h in heights]])
        _el(content, "rect", x=MARGIN, y=y, width=LANE_W - 4, height=row_h, fill="#f5f5fe")
        label_lines = wrap(lane.get("label", ""), int((LANE_W - 16) / 7), 3)
        _text_lines(
            content,
            label_lines,
            MARGIN + 8,
            y + 18,
            15,
            font_size=12,
            font_weight="bold",
            fill=BLUE,
        )
        if not lane.get("enabled"):
            _el(
                content,
                "text",
                _("(ligne fermée)"),
                x=MARGIN + 8,
                y=y + 18 + 15 * len(label_lines),
                font_size=10,
                fill=MUTED,
            )
        fill = LANE_FILLS.get(lane.get("kind", ""), "#ffffff")
        for n, stage in enumerate(stages):
            x = x0 + n * COL_W
            _el(
                content,
                "rect",
                x=x + 2,
                y=y,
                width=COL_W - 4,
                height=row_h,
                fill="none",
                stroke="#dddddd",
                stroke_width=1,
            )
            cell = cells.get((stage["key"], lane["key"])) or {}
            card_y = y + CARD_GAP
            if entry.get("texts_withheld"):
                if cell.get("cards_count"):
                    lines = wrap(withheld_text(cell["cards_count"]), CARD_CHARS, 3)
                    _text_lines(
                        content,
                        lines,
                        x + 10,
                        card_y + 12,
                        LINE_H,
                        font_size=10,
                        fill=MUTED,
                        font_style="italic",
                    )
                continue
            for card in cell.get("cards") or ():
                height = _card_height(card)
                _el(
                    content,
                    "rect",
                    x=x + 6,
                    y=card_y,
                    width=COL_W - 12,
                    height=height,
                    rx=3,
                    fill=fill,
                    stroke="#929292",
                    stroke_width=0.75,
                )
                lines = wrap(card.get("text", ""), CARD_CHARS, CARD_LINES)
                _text_lines(
                    content,
                    lines,
                    x + 6 + CARD_PAD,
                    card_y + CARD_PAD + 10,
                    LINE_H,
                    font_size=CARD_FONT,
                    fill=INK,
                )
                if card.get("cluster"):
                    _el(
                        content,
                        "text",
                        wrap(card["cluster"], CARD_CHARS, 1)[0],
                        x=x + 6 + CARD_PAD,
                        y=card_y + CARD_PAD + 10 + LINE_H * len(lines),
                        font_size=9,
                        font_style="italic",
                        fill=MUTED,
                    )
                card_y += height + CARD_GAP
        y += row_h + 4
    # The curve, each stage under its column
    y += 20
    _el(
        content,
        "text",
        _("Courbe des ressentis (de −2, très difficile, à +2, très bien)"),
        x=MARGIN,
        y=y,
        font_size=15,
        font_weight="bold",
        fill=BLUE,
    )
    xs = [x0 + COL_W * (n + 0.5) for n in range(len(stages))]
    curve, curve_h = curve_group(entry, xs=xs, left=x0, right=x0 + COL_W * len(stages), top=y + 20)
    content.append(curve)
    height = y + 20 + curve_h + MARGIN
    title = _("Parcours usager « %(title)s »") % {"title": entry.get("title", "")}
    root = _svg_root(width, height, title)
    _el(
        root,
        "desc",
        _(
            "Carte du parcours (étapes en colonnes, lignes en rangées, une carte "
            "par contribution) et courbe des ressentis par étape."
        ),
    )
    _el(root, "rect", x=0, y=0, width=width, height=height, fill="#ffffff")
    root.append(content)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


# --- PDF ----------------------------------------------------------------------------------


def journey_pdf_context(
    entry: dict[str, Any], decided: dict[tuple[str, int], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """What templates/ateliers/pdf/_journey.html needs for one map."""
    decided = decided or {}
    stages = entry.get("stages") or []
    cells = {(c["stage"], c["lane"]): c for c in entry.get("cells") or ()}
    stage_labels, lane_labels = _labels(entry, "stages"), _labels(entry, "lanes")
    rows = []
    for lane in shown_lanes(entry):
        row_cells = []
        for stage in stages:
            cell = cells.get((stage["key"], lane["key"])) or {}
            row_cells.append(
                {
                    "count": cell.get("cards_count", 0),
                    "withheld": withheld_text(cell["cards_count"])
                    if entry.get("texts_withheld") and cell.get("cards_count")
                    else "",
                    "cards": [
                        {**card, "decision": decided.get(("contribution", card.get("id")))}
                        for card in cell.get("cards") or ()
                    ],
                }
            )
        rows.append({"lane": lane, "cells": row_cells})
    curve = entry.get("curve") or {}
    profiles = drawn_profiles(curve)
    curve_rows = [
        {
            "label": stage.get("label", ""),
            "n": stage.get("n"),
            "mean": feeling_text(stage.get("mean")),
            "sd": two_decimals(stage.get("sd")),
            "counts": stage.get("counts") or [0] * len(SCALE),
            "profiles": [profile_stage_text(p, index) for p, _style in profiles],
        }
        for index, stage in enumerate(curve.get("stages") or ())
    ]
    return {
        "entry": entry,
        "authors": mix_text(entry.get("authors")),
        "stages": stages,
        "rows": rows,
        "curve": curve,
        "curve_svg": curve_svg(entry) if curve.get("raters") else "",
        "curve_rows": curve_rows,
        "curve_profiles": [p for p, _style in profiles],
        "small_profiles": [
            f"{p.get('label', '')} : {count_text(p.get('raters'))}"
            for p in curve.get("by_profile") or ()
            if p.get("stages") is None
        ],
        "scale": [AXIS_LABELS[v] for v in SCALE],
        "irritants": [
            {
                **irritant,
                "stage_label": stage_labels.get(irritant.get("stage") or "", ""),
                "lane_label": lane_labels.get(irritant.get("lane") or "", ""),
                "profiles": mix_text(irritant.get("voters_by_profile")),
                "decision": decided.get(("vote_item", irritant.get("item_id"))),
            }
            for irritant in entry.get("priority_irritants") or ()
        ],
    }


def journey_pdf(entry: dict[str, Any], *, workshop: Workshop) -> bytes:
    """The map alone as a PDF (landscape), with its JSON embedded as in evidence PDFs."""
    context = {
        "journey": journey_pdf_context(entry),
        "workshop": workshop,
        "generated_at": timezone.localtime(),
    }
    return render_pdf(
        "ateliers/pdf/journey.html",
        context,
        attachments=[("parcours.json", journey_json(entry), _("Document JSON du parcours"))],
    )
