"""The results page of a workshop (leads and facilitators of its challenge; leads record
decisions and switch the public page on), and the public page "what became of your
contributions" (anyone with its address, while it is on).

Figures come from ateliers.evidence.results_document; writes go through
ateliers.decisions. Whoever may not see the challenge gets 404, as if nothing existed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers import decisions
from ateliers.decisions import public_results_url
from ateliers.errors import DomainError, Forbidden, NotFound
from ateliers.evidence import results_document
from ateliers.models import ActivityState, DecisionStatus, Workshop, WorkshopState
from ateliers.permissions import can_facilitate, can_manage_challenge, can_view_challenge

__all__ = ["public_results", "public_results_url", "workshop_results"]

# How many items of each vote the pages list (the document keeps them all).
TOP_ITEMS = 5
# Keys whose values are protected counts of people (participation.disclosure).
PROTECTED_KEYS = {"joined", "active", "people", "not_given", "count"}


def _shown(value: Any) -> Any:
    """A protected count as people read it."""
    if value == "<5":
        return _("moins de 5")
    if value == "hidden":
        return _("masqué")
    return value


def for_display(data: Any) -> Any:
    """The document with its protected counts in words ("moins de 5", "masqué"); note
    texts and labels are never touched (they sit under other keys)."""
    if isinstance(data, dict):
        return {
            key: _shown(value) if key in PROTECTED_KEYS else for_display(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [for_display(value) for value in data]
    return data


def _viewable_workshop(request: HttpRequest, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("challenge"), pk=pk)
    if not can_view_challenge(request.user, workshop.challenge):
        raise Http404
    return workshop


def _attach_decisions(doc: dict[str, Any], failed: dict[str, str]) -> None:
    """Put beside each output its decision, its anchor on the page, and the values its
    form shows: what was just typed if it was refused, else the decision recorded."""
    by_target = {(d["target"]["kind"], d["target"]["id"]): d for d in doc["decisions"]}

    def attach(output: dict[str, Any], kind: str) -> None:
        decision = by_target.get((kind, output["id"]))
        output["kind"], output["anchor"] = kind, f"{kind}-{output['id']}"
        output["decision"] = decision
        if failed.get("anchor") == output["anchor"] and "status" in failed:
            output["form"] = failed
        else:
            output["form"] = {
                key: decision[key] if decision else ""
                for key in ("status", "reason", "destination")
            }

    for board in doc["outputs"]["boards"]:
        for note in board["notes"]:
            attach(note, "contribution")
        for cluster in board["clusters"]:
            attach(cluster, "cluster")
    for group in ("votes", "ratings"):
        for activity in doc["outputs"][group]:
            for item in activity["items"]:
                attach(item, "vote_item")
                if "voters_by_profile" in item:  # one column: voters and their points
                    points = {p["profile"]: p["count"] for p in item["points_by_profile"]}
                    item["mix"] = [
                        {**p, "points": points.get(p["profile"])} for p in item["voters_by_profile"]
                    ]


def _results_page(
    request: HttpRequest,
    workshop: Workshop,
    *,
    failed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    doc = for_display(results_document(workshop))
    _attach_decisions(doc, failed or {})
    is_lead = can_manage_challenge(request.user, workshop.challenge)
    return render(
        request,
        "ateliers/results.html",
        {
            "workshop": workshop,
            "doc": doc,
            "is_lead": is_lead,
            "runs_it": can_facilitate(request.user, workshop),
            "statuses": DecisionStatus.choices,
            "failed": failed or {},
            "public_url": public_results_url(request, workshop),
            "can_attach": is_lead and workshop.state == WorkshopState.CLOSED,
        },
        status=status,
    )


@login_required
def workshop_results(request: HttpRequest, pk: int) -> HttpResponse:
    return _results_page(request, _viewable_workshop(request, pk))


@login_required
@require_POST
def decision_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Record, change or withdraw (`clear`) the decision about one output. A refused
    form is shown again with what was typed, and the error beside it."""
    workshop = _viewable_workshop(request, pk)
    kind = request.POST.get("target_kind", "")
    try:
        target_id = int(request.POST.get("target_id", ""))
    except ValueError:
        raise Http404 from None
    anchor = f"{kind}-{target_id}"
    try:
        if "clear" in request.POST:
            decisions.decision_clear(
                user=request.user, workshop_id=workshop.pk, target_kind=kind, target_id=target_id
            )
            messages.success(request, _("La décision a été retirée."))
        else:
            decisions.decision_set(
                user=request.user,
                workshop_id=workshop.pk,
                target_kind=kind,
                target_id=target_id,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
                destination=request.POST.get("destination", ""),
            )
            messages.success(request, _("La décision est enregistrée."))
    except Forbidden:
        raise PermissionDenied from None
    except NotFound as exc:
        if not can_manage_challenge(request.user, workshop.challenge):
            raise Http404 from None
        return _results_page(
            request, workshop, failed={"anchor": anchor, "message": exc.message}, status=404
        )
    except DomainError as exc:
        failed = {
            "anchor": anchor,
            "message": exc.message,
            "status": request.POST.get("status", ""),
            "reason": request.POST.get("reason", ""),
            "destination": request.POST.get("destination", ""),
        }
        return _results_page(request, workshop, failed=failed, status=400)
    return redirect(reverse("workshop_results", kwargs={"pk": workshop.pk}) + f"#{anchor}")


@login_required
@require_POST
def public_results_switch(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _viewable_workshop(request, pk)
    on = request.POST.get("on") == "1"
    try:
        decisions.public_results_set(user=request.user, workshop_id=workshop.pk, on=on)
    except Forbidden:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        _("La page publique des résultats est en ligne.")
        if on
        else _("La page publique des résultats est hors ligne."),
    )
    return redirect(reverse("workshop_results", kwargs={"pk": workshop.pk}) + "#page-publique")


# The public page --------------------------------------------------------------------------


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """What the public page shows of the results: the figures, the votes whose results
    the room may see (closed, or revealed), and the decisions with where each went.
    A set-aside item shows its reason (people deserve to know why); the reason of other
    decisions is the team's working note and stays on the team's page. A decision about
    a note, or a cluster, of a private board never revealed is left out: the room never
    saw that text."""
    unrevealed = {b["activity_id"] for b in doc["outputs"]["boards"] if not b["revealed"]}
    votes = [
        {**vote, "items": [i for i in vote["items"] if i["points"] > 0][:TOP_ITEMS]}
        for vote in doc["outputs"]["votes"]
        if vote["state"] == ActivityState.CLOSED or not vote["results_hidden"]
    ]
    shown = []
    for decision in doc["decisions"]:
        trace = decision["trace"]
        note, cluster = trace["note"], trace["cluster"]
        if note is not None and (note["hidden"] or note["board_id"] in unrevealed):
            continue
        if cluster is not None and cluster["board_id"] in unrevealed:
            continue
        items = [i for i in trace["vote_items"] if not i["withdrawn"]]
        kind = decision["target"]["kind"]
        if kind == "vote_item":
            label = items[0]["label"] if items else None
        elif kind == "cluster":
            label = cluster["title"]
        else:
            label = note["text"]
        if not label:
            continue
        shown.append(
            {
                "label": label,
                "kind": kind,
                "status": decision["status"],
                "status_label": decision["status_label"],
                "destination": decision["destination"],
                "reason": decision["reason"] if decision["status"] == "ecarte" else "",
                "points": next((i["points"] for i in items if i["points"] is not None), None),
            }
        )
    order = {s.value: n for n, s in enumerate(DecisionStatus)}
    shown.sort(key=lambda d: order[d["status"]])
    return {
        "workshop": doc["workshop"],
        "participation": doc["participation"],
        "votes": votes,
        "pain_points": doc["outputs"]["priority_pain_points"],
        "decisions": shown,
        # Notes of boards and cards of journey maps: what people wrote, for them.
        "notes": doc["outputs"]["totals"]["notes"] + doc["outputs"]["totals"].get("cards", 0),
    }


def public_results(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the address is the key. Off, or unknown: 404."""
    workshop = (
        Workshop.objects.select_related("challenge")
        .filter(public_token=token, public_results=True)
        .exclude(public_token="")
        .first()
    )
    if workshop is None:
        raise Http404
    page = for_display(public_view(results_document(workshop)))
    response = render(request, "ateliers/public_results.html", {"page": page, "workshop": workshop})
    response["X-Robots-Tag"] = "noindex"
    return response
