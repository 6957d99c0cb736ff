"""The project lead's personal-data pages (docs/privacy.md): find a participant of the
challenge's workshops by the reference on their phone (or their name), export what is
stored about them, erase it on request; and each workshop's retention period.

Who gets what: project leads of the challenge (and superusers) only; facilitators of one
of its workshops get 403 (they know the dossier exists), anyone else 404. The retention
page is for whoever runs the workshop (ateliers.permissions.can_facilitate).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ateliers.errors import DomainError
from ateliers.models import Challenge
from ateliers.views import _challenge_for, _workshop_for
from participation import privacy
from participation.forms import EraseForm, RetentionForm
from participation.models import Erasure, Participant
from participation.views import privacy_json_response

# The list shows this many people at most; a search narrows it.
PEOPLE_SHOWN = 100


def _person(challenge: Challenge, participant_id: int) -> Participant:
    """A participant of one of the challenge's workshops (404 for any other)."""
    return get_object_or_404(
        Participant.objects.select_related("workshop__challenge"),
        pk=participant_id,
        workshop__challenge=challenge,
        workshop__anonymised_at=None,
    )


@login_required
@require_http_methods(["GET"])
def challenge_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Participants of the challenge's workshops, found by reference or name, and the
    record of erasures."""
    challenge = _challenge_for(request, pk)
    query = request.GET.get("q", "").strip()[:60]
    people = Participant.objects.filter(
        workshop__challenge=challenge, workshop__anonymised_at=None
    ).select_related("workshop")
    reference = privacy.normalise_reference(query)
    if query:
        by_name = Q(display_name__icontains=query) | Q(pseudonym__icontains=query)
        named = list(people.filter(by_name).order_by("-joined_at", "-pk")[:PEOPLE_SHOWN])
        if reference:
            named += [
                p
                for p in people.order_by("-joined_at", "-pk")
                if p not in named and privacy.participant_reference(p) == reference
            ]
        found = named
    else:
        found = list(people.order_by("-joined_at", "-pk")[:PEOPLE_SHOWN])
    rows = [(p, privacy.participant_reference(p)) for p in found]
    return render(
        request,
        "ateliers/privacy_people.html",
        {
            "challenge": challenge,
            "query": query,
            "rows": rows,
            "total": people.count(),
            "shown_at_most": PEOPLE_SHOWN,
            "erasures": Erasure.objects.filter(workshop__challenge=challenge).select_related(
                "workshop", "erased_by"
            )[:50],
            "workshops": challenge.workshops.order_by("-created_at"),
        },
    )


@login_required
@require_http_methods(["GET"])
def person_export(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    """Everything stored about one person, as JSON (right of access)."""
    challenge = _challenge_for(request, pk)
    return privacy_json_response(_person(challenge, participant_id))


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int, participant_id: int) -> HttpResponse:
    """Confirm, then erase one person's data on their request (logged: who, when, which
    reference; nothing of what was erased)."""
    challenge = _challenge_for(request, pk)
    participant = _person(challenge, participant_id)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = privacy.participant_reference(participant)
        try:
            privacy.participant_erase(participant=participant, by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Les données de %(reference)s ont été effacées.") % {"reference": reference},
            )
            return redirect("challenge_people", pk=challenge.pk)
    return render(
        request,
        "ateliers/privacy_erase.html",
        {
            "challenge": challenge,
            "participant": participant,
            "summary": privacy.participant_summary(participant),
            "form": form,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_retention(request: HttpRequest, pk: int) -> HttpResponse:
    """How long the workshop's personal data is kept after it closes, and whether it has
    been anonymised."""
    workshop = _workshop_for(request, pk)
    form = RetentionForm(
        request.POST or None, initial={"days": workshop.personal_data_retention_days}
    )
    if request.method == "POST" and form.is_valid():
        try:
            privacy.workshop_set_retention(
                user=request.user, workshop_id=workshop.pk, days=form.cleaned_data["days"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("La durée de conservation a été modifiée."))
            return redirect("workshop_retention", pk=workshop.pk)
    return render(
        request,
        "ateliers/privacy_retention.html",
        {
            "workshop": workshop,
            "challenge": workshop.challenge,
            "form": form,
            "retention": privacy.retention_label(workshop.personal_data_retention_days),
        },
    )
