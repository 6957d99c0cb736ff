"""The files a project lead hands to a jury: an evidence's CSV and PDF, the dossier PDF
and the evidence pack (a zip with every file and a SHA256SUMS list).

Evidence files are made once, from the stored canonical JSON document, when the
evidence is attached (ateliers.attach); the dossier PDF and the pack are made on
request from the challenge as it is now and the evidence as it was attached.

CSV dialect: UTF-8 with a byte-order mark and `;` as separator, CRLF line ends, every
field quoted when needed (RFC 4180 quoting). That is what Excel in a French locale opens
correctly with a double click (`,` is the decimal separator there); LibreOffice and
scripts read it as well. Cells that a spreadsheet would take for a formula are
neutralised (see `neutralise`).

PDF: WeasyPrint from the Django templates in templates/ateliers/pdf/, as PDF/A-3b,
tagged for screen readers, with the JSON document embedded as an attachment. WeasyPrint
may fetch nothing but the font files listed in `_FONT_FILES` (StaticOnlyFetcher).
"""

import csv
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.attach import canonical_json, sha256_hex, verify_url
from ateliers.models import Challenge, Evidence

# --- CSV -----------------------------------------------------------------------------

CSV_SEPARATOR = ";"
# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"),
# and tab / carriage return, which some of them strip before doing so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A cell as text that no spreadsheet evaluates: a leading ' makes it a string.

    Numbers are written as they are (a negative number is data, not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    # " =1+1" too: some spreadsheets trim leading blanks before they parse a cell.
    if text.lstrip(" \n").startswith(FORMULA_START):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- PDF -----------------------------------------------------------------------------

PDF_VARIANT = "pdf/a-3b"
PDF_TAGS = True
# WeasyPrint logs each rendering step and fontTools each font it decodes, at INFO: a
# dozen lines per PDF that say nothing an operator needs.
for _noisy in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)
_FONT_FILES = {
    # (weight, style): file in django-dsfr's static files
    (400, "normal"): "dsfr/dist/fonts/Marianne-Regular.woff2",
    (400, "italic"): "dsfr/dist/fonts/Marianne-Regular_Italic.woff2",
    (500, "normal"): "dsfr/dist/fonts/Marianne-Medium.woff2",
    (700, "normal"): "dsfr/dist/fonts/Marianne-Bold.woff2",
    (700, "italic"): "dsfr/dist/fonts/Marianne-Bold_Italic.woff2",
}


def _font_paths() -> dict[tuple[int, str], Path]:
    found = {}
    for key, name in _FONT_FILES.items():
        path = finders.find(name)
        if path:
            found[key] = Path(path).resolve()
    return found


def _font_face_css(fonts: dict[tuple[int, str], Path]) -> str:
    """Marianne, from django-dsfr's static files, when they are there; otherwise the
    stylesheet falls back to DejaVu Sans (scripts/system-libs.sh)."""
    return "\n".join(
        f'@font-face {{ font-family: "Marianne"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{path.as_uri()}") format("woff2"); }}'
        for (weight, style), path in fonts.items()
    )


def _fetcher(allowed: set[str]):
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Fetches the font files and nothing else: no network, no other local file,
        whatever a note's text might contain (it is escaped anyway)."""

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            if url not in allowed:
                raise ValueError(f"not fetched in exports: {url[:80]}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher()


def render_pdf(
    template: str, context: dict[str, Any], *, attachments: Sequence[tuple[str, bytes, str]] = ()
) -> bytes:
    """A PDF/A-3b document from a template; `attachments` are (file name, content,
    description) embedded in it (PDF/A-3 allows any file as an associated file)."""
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    fonts = _font_paths()
    fetcher = _fetcher({path.as_uri() for path in fonts.values()})
    font_config = FontConfiguration()
    stylesheet_path = finders.find("cocon/pdf.css")
    css_text = _font_face_css(fonts) + "\n" + Path(stylesheet_path).read_text(encoding="utf-8")
    stylesheet = CSS(string=css_text, font_config=font_config, url_fetcher=fetcher)
    with translation.override("fr"):  # the document's language, whatever the reader's
        html = render_to_string(template, context)
    files = [
        Attachment(
            string=content,
            name=name,
            description=description,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for name, content, description in attachments
    ]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet],
        font_config=font_config,
        pdf_variant=PDF_VARIANT,
        pdf_tags=PDF_TAGS,
        attachments=files,
    )


def qr_svg(url: str, title: str) -> str:
    """Quartile error correction: a printed page gets folded and stamped."""
    return segno.make(url, error="q").svg_inline(
        scale=3, dark="#161616", light="#ffffff", omitsize=True, title=title
    )


# --- Charts (inline SVG, drawn by templates/ateliers/pdf/_bar_chart.html) --------------

SMALL_GROUP_WORDS = {"<5": gettext_lazy("moins de 5"), "hidden": gettext_lazy("masqué")}
CHART_WIDTH = 620
BAR_ROW = 38
BAR_HEIGHT = 14
LABEL_MAX = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # what is written next to the bar: "12", "moins de 5", "masqué"
    width: float
    label_y: float
    bar_y: float
    value_x: float
    value_y: float
    exact: bool  # False: a protected count, drawn as a dashed outline with its words


def bar_chart(
    title: str, rows: Sequence[tuple[str, Any]], *, unit: str = ""
) -> dict[str, Any] | None:
    """Horizontal bars with each label above and each value written out, so nothing is
    told by length or colour alone. A protected count ("<5") gets a dashed outline as
    long as 5 and its words ("moins de 5"), never a length that would give it away; a
    hidden one no bar at all."""
    if not rows:
        return None
    numbers = [value for _label, value in rows if isinstance(value, int | float)]
    top = max([*numbers, 5 if len(numbers) < len(rows) else 0, 1])
    span = CHART_WIDTH - 130
    bars = []
    for index, (label, value) in enumerate(rows):
        short = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
        exact = isinstance(value, int | float)
        if exact:
            text = f"{value}{unit}"
            width = span * value / top
        elif value == "<5":
            text, width = str(SMALL_GROUP_WORDS["<5"]), span * 5 / top
        else:
            text, width = str(SMALL_GROUP_WORDS["hidden"]), 0
        y = index * BAR_ROW
        bars.append(
            Bar(
                label=short,
                value=text,
                width=round(width, 2),
                label_y=y + 12,
                bar_y=y + 17,
                value_x=round(width + 6, 2),
                value_y=y + 17 + BAR_HEIGHT - 3,
                exact=exact,
            )
        )
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": len(bars) * BAR_ROW + 4,
        "bar_height": BAR_HEIGHT,
    }


# --- Reading a stored evidence document -------------------------------------------------


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    return timezone.localtime(parsed) if parsed and timezone.is_aware(parsed) else parsed


def evidence_facts(evidence: Evidence) -> dict[str, Any]:
    """What pages and the dossier show of an evidence, read from its stored document
    (never from the live rows, which may have changed since)."""
    document = json.loads(evidence.document)
    return {
        "evidence": evidence,
        "document": document,
        "attached_by": document.get("attached_by", ""),
        "attached_at": _when(document.get("attached_at")) or evidence.attached_at,
        "summary": results_summary(document.get("results") or {}),
    }


def file_stem(evidence: Evidence) -> str:
    """A readable file name: preuve-12-atelier-accueil-2025-03-14."""
    day = timezone.localtime(evidence.attached_at).date().isoformat()
    slug = slugify(evidence.workshop.title)[:50].strip("-") or "atelier"
    return f"preuve-{evidence.pk}-{slug}-{day}"


# --- Reading the results document (ateliers.evidence.results_document) -----------------
# The only code here that knows its shape. Missing keys read as empty: a document of an
# older schema still renders.


def count_text(value: Any) -> str:
    """A protected count in words: 12, "moins de 5", "masqué"."""
    if isinstance(value, int | float):
        return str(value)
    return str(SMALL_GROUP_WORDS.get(str(value), value if value is not None else ""))


def mix_text(mix: Sequence[dict[str, Any]] | None) -> str:
    """A profile mix as one line: "Usager·e : 12 ; Agent·e public·que : moins de 5"."""
    return " ; ".join(
        f"{entry.get('label', '')} : {count_text(entry.get('count'))}" for entry in mix or ()
    )


def decimal_text(value: float | None) -> str:
    """French decimal comma (the CSV is read by a French spreadsheet, the PDF by people)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def decisions_by_target(results: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {
        (d["target"]["kind"], d["target"]["id"]): d
        for d in results.get("decisions") or ()
        if d.get("target")
    }


def decision_subject(decision: dict[str, Any]) -> tuple[str, str]:
    """(where it came from, what it is) for a decision: its board or vote, and the
    note's text, the cluster's title or the voted item's label."""
    trace = decision.get("trace") or {}
    kind = (decision.get("target") or {}).get("kind")
    note, cluster, items = trace.get("note"), trace.get("cluster"), trace.get("vote_items") or []
    if kind == "vote_item" and items:
        item = items[0]
        return item.get("vote") or "", item.get("label") or _("(élément retiré du vote)")
    if kind == "cluster" and cluster:
        return cluster.get("board") or "", cluster.get("title") or ""
    if note:
        if note.get("text"):
            return note.get("board") or "", note["text"]
        if note.get("hidden", True):
            return note.get("board") or "", _("(contribution masquée)")
        return note.get("board") or "", _("(carte d'un parcours privé jamais révélé)")
    return "", ""


def decision_place(decision: dict[str, Any]) -> str:
    """Where in its board the note of a decision was: its column, or for a journey's
    card its stage and lane ("Faire la démarche — Irritants")."""
    note = (decision.get("trace") or {}).get("note") or {}
    return " — ".join(part for part in (note.get("column"), note.get("lane")) if part)


CSV_HEADER = (
    "section",
    "activité",
    "élément",
    "valeur",
    "colonne",
    "regroupement",
    "réactions",
    "points",
    "rang",
    "personnes",
    "dont actives",
    "profils",
    "décision",
    "motif",
    "suite donnée",
)


def csv_row(section: str, **cells: Any) -> list[Any]:
    keys = (
        "activity",
        "item",
        "value",
        "column",
        "cluster",
        "reactions",
        "points",
        "rank",
        "people",
        "active",
        "profiles",
        "decision",
        "reason",
        "destination",
    )
    return [section, *(cells.get(key, "") for key in keys)]


def decision_cells(decision: dict[str, Any] | None) -> dict[str, Any]:
    if not decision:
        return {}
    return {
        "decision": decision.get("status_label", ""),
        "reason": decision.get("reason", ""),
        "destination": decision.get("destination", ""),
    }


def results_csv_rows(document: dict[str, Any]) -> list[list[Any]]:
    """Every output line of a stored evidence document, one CSV row each."""
    results = document.get("results") or {}
    workshop = results.get("workshop") or {}
    participation = results.get("participation") or {}
    outputs = results.get("outputs") or {}
    decided = decisions_by_target(results)
    rows: list[list[Any]] = []

    facts = [
        (_("Défi"), (document.get("challenge") or {}).get("title", "")),
        (_("Atelier"), workshop.get("title", "")),
        (_("Début"), workshop.get("opened_at") or workshop.get("starts_at") or ""),
        (_("Fin"), workshop.get("closed_at") or ""),
        (_("Durée (minutes)"), workshop.get("duration_minutes")),
        (_("Lieu"), workshop.get("place", "")),
        (_("Format"), workshop.get("mode_label", "")),
        (_("Méthodes"), ", ".join(m.get("label", "") for m in workshop.get("methods") or ())),
        (_("Preuve jointe le"), document.get("attached_at", "")),
        (_("Jointe par"), document.get("attached_by", "")),
    ]
    rows += [csv_row("atelier", item=label, value=value) for label, value in facts]

    for entry in participation.get("by_profile") or ():
        rows.append(
            csv_row(
                "participation",
                item=entry.get("label", ""),
                people=count_text(entry.get("joined")),
                active=count_text(entry.get("active")),
            )
        )
    rows.append(
        csv_row(
            "participation",
            item=_("Total"),
            people=participation.get("joined", ""),
            active=participation.get("active", ""),
        )
    )
    for section, key in (("organisation", "organisations"), ("territoire", "territories")):
        groups = participation.get(key) or {}
        for group in groups.get("items") or ():
            rows.append(
                csv_row(section, item=group.get("name", ""), people=count_text(group.get("people")))
            )
        others = groups.get("others") or {}
        if others.get("count"):
            rows.append(
                csv_row(
                    section,
                    item=_("(autres, moins de 5 personnes chacun : %(n)s)")
                    % {"n": others["count"]},
                    people=count_text(others.get("people")),
                )
            )
        if groups.get("not_given"):
            rows.append(
                csv_row(section, item=_("(non renseigné)"), people=count_text(groups["not_given"]))
            )

    for board in outputs.get("boards") or ():
        title = board.get("title", "")
        for cluster in board.get("clusters") or ():
            rows.append(
                csv_row(
                    "regroupement",
                    activity=title,
                    item=cluster.get("title", ""),
                    value=cluster.get("notes_count"),
                    profiles=mix_text(cluster.get("authors")),
                    **decision_cells(decided.get(("cluster", cluster.get("id")))),
                )
            )
        for note in board.get("notes") or ():
            rows.append(
                csv_row(
                    "contribution",
                    activity=title,
                    item=note.get("text", ""),
                    column=note.get("column") or "",
                    cluster=note.get("cluster") or "",
                    reactions=note.get("reactions"),
                    profiles=note.get("author_profile_label") or "",
                    **decision_cells(decided.get(("contribution", note.get("id")))),
                )
            )
    for vote in outputs.get("votes") or ():
        for item in vote.get("items") or ():
            rows.append(
                csv_row(
                    "vote",
                    activity=vote.get("title", ""),
                    item=item.get("label", ""),
                    points=item.get("points"),
                    rank=item.get("rank"),
                    people=item.get("voters"),
                    profiles=mix_text(item.get("voters_by_profile")),
                    **decision_cells(decided.get(("vote_item", item.get("id")))),
                )
            )
    for rating in outputs.get("ratings") or ():
        axes = rating.get("axis_x", ""), rating.get("axis_y", "")
        for item in rating.get("items") or ():
            value = ""
            if item.get("n"):
                x = f"{decimal_text(item.get('x_mean'))} ± {decimal_text(item.get('x_sd'))}"
                y = f"{decimal_text(item.get('y_mean'))} ± {decimal_text(item.get('y_sd'))}"
                value = f"{axes[0]} {x} ; {axes[1]} {y}"
            rows.append(
                csv_row(
                    "notation",
                    activity=rating.get("title", ""),
                    item=item.get("label", ""),
                    value=value,
                    people=item.get("n"),
                    **decision_cells(decided.get(("vote_item", item.get("id")))),
                )
            )
    from ateliers.journey_exports import journey_csv_rows

    for journey in outputs.get("journeys") or ():
        rows += journey_csv_rows(journey, decided)
    for decision in results.get("decisions") or ():
        origin, subject = decision_subject(decision)
        rows.append(
            csv_row(
                "décision",
                activity=origin,
                item=subject,
                column=decision_place(decision),
                **decision_cells(decision),
            )
        )
    return rows


def results_summary(results: dict[str, Any]) -> dict[str, Any]:
    """The few figures the dossier and the pages show for an evidence."""
    workshop = results.get("workshop") or {}
    participation = results.get("participation") or {}
    totals = (results.get("outputs") or {}).get("totals") or {}
    decisions = results.get("decisions") or []
    return {
        "workshop": workshop,
        "methods": ", ".join(m.get("label", "") for m in workshop.get("methods") or ()),
        "joined": participation.get("joined"),
        "active": participation.get("active"),
        "profiles": mix_text(
            [
                {"label": e.get("label", ""), "count": e.get("joined")}
                for e in participation.get("by_profile") or ()
                if e.get("joined")
            ]
        ),
        "both_present": participation.get("both_present"),
        "notes": totals.get("notes"),
        "journeys": totals.get("journeys"),
        "cards": totals.get("cards"),
        "points": totals.get("points"),
        "decisions": len(decisions),
        "kept": sum(1 for d in decisions if d.get("status") == "retenu"),
    }


TOP_ITEMS = 10


def evidence_pdf_context(document: dict[str, Any]) -> dict[str, Any]:
    """What templates/ateliers/pdf/evidence.html needs, from the stored document."""
    results = document.get("results") or {}
    participation = results.get("participation") or {}
    outputs = results.get("outputs") or {}
    decided = decisions_by_target(results)
    profiles_chart = bar_chart(
        _("Participant·es par profil"),
        [(e.get("label", ""), e.get("joined")) for e in participation.get("by_profile") or ()],
    )
    votes = []
    for vote in outputs.get("votes") or ():
        items = vote.get("items") or []
        votes.append(
            {
                "vote": vote,
                "chart": bar_chart(
                    _("Les %(n)d éléments les plus votés de « %(title)s »")
                    % {"n": min(TOP_ITEMS, len(items)), "title": vote.get("title", "")},
                    [(item.get("label", ""), item.get("points", 0)) for item in items[:TOP_ITEMS]],
                    unit=" pt",
                ),
                "items": [
                    {
                        **item,
                        "profiles": mix_text(item.get("voters_by_profile")),
                        "decision": decided.get(("vote_item", item.get("id"))),
                    }
                    for item in items
                ],
            }
        )
    boards = []
    for board in outputs.get("boards") or ():
        boards.append(
            {
                "board": board,
                "clusters": [
                    {
                        **cluster,
                        "profiles": mix_text(cluster.get("authors")),
                        "decision": decided.get(("cluster", cluster.get("id"))),
                    }
                    for cluster in board.get("clusters") or ()
                ],
                "notes": [
                    {**note, "decision": decided.get(("contribution", note.get("id")))}
                    for note in board.get("notes") or ()
                ],
                "authors": mix_text(board.get("authors")),
            }
        )
    ratings = []
    for rating in outputs.get("ratings") or ():
        ratings.append(
            {
                "rating": rating,
                "items": [
                    {
                        **item,
                        "x": decimal_text(item.get("x_mean")),
                        "y": decimal_text(item.get("y_mean")),
                        "x_sd_text": decimal_text(item.get("x_sd")),
                        "y_sd_text": decimal_text(item.get("y_sd")),
                    }
                    for item in rating.get("items") or ()
                ],
                "matrix": rating_matrix(rating),
            }
        )
    from ateliers.journey_exports import journey_pdf_context

    journeys = [journey_pdf_context(j, decided) for j in outputs.get("journeys") or ()]
    decisions = []
    for decision in results.get("decisions") or ():
        origin, subject = decision_subject(decision)
        decisions.append(
            {**decision, "origin": origin, "subject": subject, "place": decision_place(decision)}
        )
    return {
        "document": document,
        "results": results,
        "workshop": results.get("workshop") or {},
        "participation": participation,
        "organisations": (participation.get("organisations") or {}),
        "territories": (participation.get("territories") or {}),
        "profiles_chart": profiles_chart,
        "totals": outputs.get("totals") or {},
        "boards": boards,
        "votes": votes,
        "ratings": ratings,
        "journeys": journeys,
        "pain_points": [
            {**p, "profiles": mix_text(p.get("voters_by_profile"))}
            for p in outputs.get("priority_pain_points") or ()
        ],
        "decisions": decisions,
        "attached_at": _when(document.get("attached_at")),
        "opened_at": _when((results.get("workshop") or {}).get("opened_at")),
        "closed_at": _when((results.get("workshop") or {}).get("closed_at")),
        "starts_at": _when((results.get("workshop") or {}).get("starts_at")),
    }


MATRIX_SIZE = 300
MATRIX_MARGIN = 40


def rating_matrix(rating: dict[str, Any]) -> dict[str, Any] | None:
    """Each rated item at its mean on the two axes (1 to 5), numbered: the table under
    the chart gives each number's item and figures."""
    rated = [item for item in rating.get("items") or () if item.get("n")]
    if not rated:
        return None
    inner = MATRIX_SIZE - 2 * MATRIX_MARGIN

    def place(value: float) -> float:
        return round(MATRIX_MARGIN + (value - 1) / 4 * inner, 2)

    points = [
        {
            "n": index,
            "x": place(item["x_mean"]),
            "y": round(MATRIX_SIZE - place(item["y_mean"]), 2),
        }
        for index, item in enumerate(rating.get("items") or (), start=1)
        if item.get("n")
    ]
    ticks = [
        {"value": v, "at": place(v), "at_y": round(MATRIX_SIZE - place(v), 2)} for v in range(1, 6)
    ]
    return {
        "size": MATRIX_SIZE,
        "margin": MATRIX_MARGIN,
        "inner": inner,
        "end": MATRIX_SIZE - MATRIX_MARGIN,
        "mid": round(MATRIX_SIZE / 2, 2),
        "x_ticks_y": MATRIX_SIZE - MATRIX_MARGIN + 12,
        "y_ticks_x": MATRIX_MARGIN - 6,
        "x_label_y": MATRIX_SIZE - 8,
        "points": points,
        "ticks": ticks,
        "axis_x": rating.get("axis_x", ""),
        "axis_y": rating.get("axis_y", ""),
        "title": rating.get("title", ""),
    }


def evidence_csv(document: dict[str, Any]) -> bytes:
    """One row per output line (participation by profile, notes, clusters, voted items,
    ratings, journey maps' cards, stage ratings and irritants, decisions); the same
    header for every section."""
    return csv_bytes(CSV_HEADER, results_csv_rows(document))


def evidence_pdf(document: dict[str, Any], *, digest: str, verify_url: str) -> bytes:
    """The jury's PDF of one evidence; the JSON document it was made from is embedded."""
    context = evidence_pdf_context(document)
    context.update(
        digest=digest,
        verify_url=verify_url,
        qr=qr_svg(verify_url, _("QR code vers la page de vérification de cette preuve")),
    )
    text = canonical_json(document)  # the stored document, byte for byte
    return render_pdf(
        "ateliers/pdf/evidence.html",
        context,
        attachments=[("preuve.json", text.encode("utf-8"), _("Document JSON de la preuve"))],
    )


# --- The dossier and the pack --------------------------------------------------------------


def dossier_pdf(challenge: Challenge, *, base_url: str | None = None) -> bytes:
    """The whole dossier as it is now (its sections as ateliers.dossier defines them,
    what is still missing, the budget), then a summary of each attached evidence with
    its digests, for the jury."""
    from ateliers import dossier

    evidence = [
        {**evidence_facts(item), "verify_url": verify_url(item.digest, base_url)}
        for item in challenge.evidence.select_related("workshop")
        .defer("csv", "pdf")
        .order_by("attached_at", "pk")
    ]
    budget_lines = list(challenge.budget_lines.all())
    context = {
        "challenge": challenge,
        "sections": [
            {"section": section, "rows": dossier.section_rows(challenge, section)}
            for section in dossier.SECTIONS
        ],
        "missing": dossier.missing_items(challenge),
        "budget_lines": budget_lines,
        "budget": dossier.summarise_lines(budget_lines),
        "evidence_list": evidence,
        "generated_at": timezone.localtime(),
        "leads": [lead.get_full_name() or lead.get_username() for lead in challenge.leads.all()],
    }
    return render_pdf("ateliers/pdf/dossier.html", context)


def _challenge_slug(challenge: Challenge) -> str:
    return f"defi-{challenge.pk}-{slugify(challenge.title)[:50].strip('-') or 'sans-titre'}"


def pack_name(challenge: Challenge) -> str:
    """preuves-defi-3-accueil-en-mairie: the zip's name and its top folder."""
    return f"preuves-{_challenge_slug(challenge)}"


def dossier_name(challenge: Challenge) -> str:
    return f"dossier-{_challenge_slug(challenge)}"


def evidence_pack(challenge: Challenge, *, base_url: str | None = None) -> bytes:
    """A zip of the dossier PDF, each evidence's JSON, CSV and PDF as attached, a
    LISEZMOI.txt, and SHA256SUMS (checked with `sha256sum -c SHA256SUMS` in the folder)."""
    root = pack_name(challenge)
    files: list[tuple[str, bytes, datetime]] = []
    now = timezone.localtime()
    files.append(("dossier.pdf", dossier_pdf(challenge, base_url=base_url), now))
    evidence_list = list(challenge.evidence.select_related("workshop").order_by("attached_at"))
    for item in evidence_list:
        stem = f"preuves/{file_stem(item)}"
        when = timezone.localtime(item.attached_at)
        files.append((f"{stem}.json", item.document.encode("utf-8"), when))
        files.append((f"{stem}.csv", bytes(item.csv), when))
        files.append((f"{stem}.pdf", bytes(item.pdf), when))
    readme = render_to_string(
        "ateliers/pdf/pack_readme.txt",
        {
            "challenge": challenge,
            "generated_at": now,
            "evidence_list": evidence_list,
            "verify_url": verify_url("", base_url).split("?")[0],
        },
    )
    files.append(("LISEZMOI.txt", readme.encode("utf-8"), now))
    sums = "".join(f"{sha256_hex(content)}  {name}\n" for name, content, _when in files)
    files.append(("SHA256SUMS", sums.encode("utf-8"), now))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content, when in files:
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def public_base_url(request_base: str) -> str:
    """PUBLIC_URL when set (behind a proxy), else the request's own scheme and host."""
    return settings.PUBLIC_URL or request_base.rstrip("/")
