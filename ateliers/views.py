"""Pages of the project lead and the facilitator. Writes go through `ateliers.actions`."""

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers import actions, agenda, dossier, journey_maps
from ateliers.decisions import public_results_url
from ateliers.errors import DomainError
from ateliers.forms import (
    ActivityForm,
    ChallengeForm,
    JourneyActivityForm,
    VoteActivityForm,
    WorkshopFactsForm,
    WorkshopForm,
)
from ateliers.join_codes import display_join_code
from ateliers.models import VOTING_KINDS, Activity, ActivityKind, Challenge, Method, Workshop
from ateliers.permissions import (
    can_facilitate,
    can_manage_challenge,
    can_view_challenge,
    facilitated_workshops,
    viewable_challenges,
)
from ateliers.qr import join_url, qr_svg
from participation.forms import JoinCodeForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "ateliers/home.html", {"form": JoinCodeForm()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The challenges one leads or facilitates a workshop of (the latter read only), and
    the workshops one runs."""
    user = request.user
    led = set(
        Challenge.objects.filter(leads=user).values_list("pk", flat=True)
        if not user.is_superuser
        else Challenge.objects.values_list("pk", flat=True)
    )
    challenges = [
        (challenge, challenge.pk in led)
        for challenge in viewable_challenges(user).order_by("-created_at")
    ]
    return render(
        request,
        "ateliers/dashboard.html",
        {"challenges": challenges, "workshops": facilitated_workshops(user)},
    )


@login_required
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        challenge = actions.challenge_create(user=request.user, **data)
        messages.success(
            request, _("Le défi a été créé. Complétez son dossier section par section.")
        )
        return redirect("challenge_detail", pk=challenge.pk)
    return render(request, "ateliers/challenge_form.html", {"form": form})


def _challenge_for(request: HttpRequest, pk: int) -> Challenge:
    """A challenge its lead manages: 403 for those who may only read it, 404 for others."""
    challenge = get_object_or_404(Challenge, pk=pk)
    if not can_manage_challenge(request.user, challenge):
        if can_view_challenge(request.user, challenge):
            raise PermissionDenied
        raise Http404
    return challenge


def _workshop_for(request: HttpRequest, pk: int) -> Workshop:
    """A workshop one runs: 403 for those who see its challenge but do not run it (a
    facilitator of another of its workshops), 404 for everyone else."""
    workshop = get_object_or_404(Workshop.objects.select_related("challenge"), pk=pk)
    if not can_facilitate(request.user, workshop):
        if can_view_challenge(request.user, workshop.challenge):
            raise PermissionDenied
        raise Http404
    return workshop


@login_required
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The challenge's hub: its dossier's completeness and its workshops. Read only for
    facilitators of one of its workshops; 404 for everyone else."""
    challenge = get_object_or_404(Challenge, pk=pk)
    if not can_view_challenge(request.user, challenge):
        raise Http404
    run = set(facilitated_workshops(request.user).values_list("pk", flat=True))
    missing = dossier.missing_items(challenge)
    return render(
        request,
        "ateliers/challenge_detail.html",
        {
            "challenge": challenge,
            "can_edit": can_manage_challenge(request.user, challenge),
            "workshops": [(w, w.pk in run) for w in challenge.workshops.order_by("created_at")],
            "blocking": [item for item in missing if item.blocking],
            "section_count": len(dossier.SECTIONS),
        },
    )


@login_required
def workshop_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge_for(request, pk)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = actions.workshop_create(
                user=request.user, challenge=challenge, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("L'atelier a été créé."))
            return redirect("workshop_detail", pk=workshop.pk)
    return render(request, "ateliers/workshop_form.html", {"form": form, "challenge": challenge})


@login_required
def workshop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a workshop's facts: title, place, date, format, methods used."""
    workshop = _workshop_for(request, pk)
    form = WorkshopFactsForm(request.POST or None, initial=WorkshopFactsForm.initial_for(workshop))
    if request.method == "POST" and form.is_valid():
        try:
            actions.workshop_update(user=request.user, workshop_id=workshop.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("L'atelier a été modifié."))
            return redirect("workshop_detail", pk=workshop.pk)
    return render(
        request,
        "ateliers/workshop_form.html",
        {"form": form, "challenge": workshop.challenge, "workshop": workshop},
    )


@login_required
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    return render(
        request,
        "ateliers/workshop_detail.html",
        {
            "workshop": workshop,
            "extra_methods": [
                dict(Method.choices).get(value, value) for value in workshop.extra_methods
            ],
            "activities": workshop.activities.all(),
            "join_url": join_url(request, workshop.join_code),
            "code": display_join_code(workshop.join_code),
        },
    )


@login_required
@require_POST
def workshop_transition(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    """Start or close a workshop from its page (the big screen does it over WebSocket)."""
    workshop = _workshop_for(request, pk)
    action = {"start": actions.workshop_start, "close": actions.workshop_close}[transition]
    try:
        action(user=request.user, workshop_id=workshop.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("workshop_detail", pk=workshop.pk)


@login_required
def workshop_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The big screen: QR code, join code, head count and the live board."""
    workshop = _workshop_for(request, pk)
    url = join_url(request, workshop.join_code)
    # The last slide, once the workshop is closed: where to see what became of the
    # contributions (if the project lead switched the public page on).
    results_url = public_results_url(request, workshop)
    return render(
        request,
        "ateliers/screen.html",
        {
            "workshop": workshop,
            "join_url": url,
            "qr_svg": qr_svg(url),
            "results_url": results_url,
            "results_qr_svg": (
                qr_svg(results_url, _("QR code vers les résultats de l'atelier"))
                if results_url
                else ""
            ),
            "code": display_join_code(workshop.join_code),
            "timer_choices": [1, 2, 3, 5, 10, 15, 20, 30],
        },
    )


@login_required
def workshop_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """The second facilitator page (a tablet or laptop): the agenda, every note with
    hide, restore, spotlight and clusters, in sync with the big screen."""
    workshop = _workshop_for(request, pk)
    return render(
        request,
        "ateliers/moderate.html",
        {"workshop": workshop, "timer_choices": [1, 2, 3, 5, 10, 15, 20, 30]},
    )


# The agenda ---------------------------------------------------------------------------------


def _agenda_form_page(
    request: HttpRequest,
    workshop: Workshop,
    activity: Activity | None,
    form: forms.Form,
    add: Callable[..., object],
    update: Callable[..., object],
    said: tuple[str, str],
    **context: object,
) -> HttpResponse:
    """Add or edit one activity of the agenda: `add` or `update` (ateliers.agenda) with
    the form's fields, then say `said` (added, changed); a refusal by the rules is shown
    on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            if activity is None:
                add(user=request.user, workshop_id=workshop.pk, **form.cleaned_data)
                messages.success(request, said[0])
            else:
                update(
                    user=request.user,
                    workshop_id=workshop.pk,
                    activity_id=activity.pk,
                    **form.cleaned_data,
                )
                messages.success(request, said[1])
            return redirect("workshop_detail", pk=workshop.pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "ateliers/activity_form.html",
        {"form": form, "workshop": workshop, "activity": activity, **context},
    )


def _activity_form_page(
    request: HttpRequest, workshop: Workshop, activity: Activity | None
) -> HttpResponse:
    initial = ActivityForm.initial_for(activity) if activity else None
    form = ActivityForm(request.POST or None, initial=initial)
    return _agenda_form_page(
        request,
        workshop,
        activity,
        form,
        agenda.activity_add,
        agenda.activity_update,
        (_("L'activité a été ajoutée au déroulé."), _("L'activité a été modifiée.")),
    )


def _vote_form_page(
    request: HttpRequest, workshop: Workshop, activity: Activity | None, kind: str
) -> HttpResponse:
    initial = VoteActivityForm.initial_for(activity) if activity else None
    form = VoteActivityForm(
        request.POST or None,
        initial=initial,
        workshop=workshop,
        rating=kind == ActivityKind.RATING,
    )
    return _agenda_form_page(
        request,
        workshop,
        activity,
        form,
        functools.partial(agenda.vote_activity_add, kind=kind),
        agenda.vote_activity_update,
        (_("Le vote a été ajouté au déroulé."), _("Le vote a été modifié.")),
        kind=kind,
    )


def _journey_form_page(
    request: HttpRequest, workshop: Workshop, activity: Activity | None
) -> HttpResponse:
    initial = (
        JourneyActivityForm.initial_for(activity) if activity else JourneyActivityForm.initial_new()
    )
    form = JourneyActivityForm(
        request.POST or None, initial=initial, workshop=workshop, activity=activity
    )
    return _agenda_form_page(
        request,
        workshop,
        activity,
        form,
        journey_maps.journey_add,
        journey_maps.journey_update,
        (_("Le parcours a été ajouté au déroulé."), _("Le parcours a été modifié.")),
        kind=ActivityKind.JOURNEY,
    )


@login_required
@require_POST
def journey_vote(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    """Send a map's irritants to a dot vote, placed right after the map. The big screen's
    button asks for JSON (201 with the vote's id, or 400 with the reason); the workshop
    page's form gets a redirect and a message."""
    workshop = _workshop_for(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        made = journey_maps.journey_vote(
            user=request.user, workshop_id=workshop.pk, activity_id=activity_id
        )
    except DomainError as exc:
        if wants_json:
            return JsonResponse({"code": exc.code, "message": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect("workshop_detail", pk=workshop.pk)
    if wants_json:
        return JsonResponse(made.result, status=201)
    messages.success(
        request,
        _(
            "Un vote sur les irritants a été ajouté juste après le parcours. "
            "Ouvrez-le quand la salle est prête."
        ),
    )
    return redirect("workshop_detail", pk=workshop.pk)


@login_required
def activity_add(request: HttpRequest, pk: int, kind: str = ActivityKind.IDEATION) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    if kind == ActivityKind.JOURNEY:
        return _journey_form_page(request, workshop, None)
    if kind in VOTING_KINDS:
        return _vote_form_page(request, workshop, None, kind)
    return _activity_form_page(request, workshop, None)


@login_required
def activity_edit(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    activity = get_object_or_404(Activity, pk=activity_id, workshop=workshop)
    if activity.is_voting:
        return _vote_form_page(request, workshop, activity, activity.kind)
    if activity.kind == ActivityKind.JOURNEY:
        return _journey_form_page(request, workshop, activity)
    return _activity_form_page(request, workshop, activity)


@login_required
@require_POST
def activity_change(request: HttpRequest, pk: int, activity_id: int, change: str) -> HttpResponse:
    """Move an activity up or down the agenda, or delete it."""
    workshop = _workshop_for(request, pk)
    try:
        if change == "delete":
            agenda.activity_delete(
                user=request.user, workshop_id=workshop.pk, activity_id=activity_id
            )
        else:
            agenda.activity_move(
                user=request.user,
                workshop_id=workshop.pk,
                activity_id=activity_id,
                offset=-1 if change == "up" else 1,
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("workshop_detail", pk=workshop.pk)
