"""Pages of the project lead and the facilitator. Writes go through `ateliers.actions`."""

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers import actions, agenda
from ateliers.errors import DomainError
from ateliers.forms import ActivityForm, ChallengeForm, VoteActivityForm, WorkshopForm
from ateliers.join_codes import display_join_code
from ateliers.models import VOTING_KINDS, Activity, ActivityKind, Challenge, Workshop
from ateliers.permissions import can_facilitate, can_manage_challenge
from ateliers.qr import join_url, qr_svg
from participation.forms import JoinCodeForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "ateliers/home.html", {"form": JoinCodeForm()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    challenges = (
        Challenge.objects.all() if user.is_superuser else Challenge.objects.filter(leads=user)
    )
    workshops = (
        Workshop.objects.filter(Q(facilitators=user) | Q(challenge__leads=user))
        .select_related("challenge")
        .distinct()
    )
    if user.is_superuser:
        workshops = Workshop.objects.select_related("challenge")
    return render(
        request, "ateliers/dashboard.html", {"challenges": challenges, "workshops": workshops}
    )


@login_required
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        challenge = actions.challenge_create(user=request.user, **data)
        messages.success(request, _("Le défi a été créé."))
        return redirect("challenge_detail", pk=challenge.pk)
    return render(request, "ateliers/challenge_form.html", {"form": form})


def _challenge_for(request: HttpRequest, pk: int) -> Challenge:
    challenge = get_object_or_404(Challenge, pk=pk)
    if not can_manage_challenge(request.user, challenge):
        raise PermissionDenied
    return challenge


def _workshop_for(request: HttpRequest, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("challenge"), pk=pk)
    if not can_facilitate(request.user, workshop):
        raise PermissionDenied
    return workshop


@login_required
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge_for(request, pk)
    return render(
        request,
        "ateliers/challenge_detail.html",
        {"challenge": challenge, "workshops": challenge.workshops.all()},
    )


@login_required
def workshop_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge_for(request, pk)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = actions.workshop_create(
            user=request.user, challenge=challenge, **form.cleaned_data
        )
        messages.success(request, _("L'atelier a été créé."))
        return redirect("workshop_detail", pk=workshop.pk)
    return render(request, "ateliers/workshop_form.html", {"form": form, "challenge": challenge})


@login_required
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    return render(
        request,
        "ateliers/workshop_detail.html",
        {
            "workshop": workshop,
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
    return render(
        request,
        "ateliers/screen.html",
        {
            "workshop": workshop,
            "join_url": url,
            "qr_svg": qr_svg(url),
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


@login_required
def activity_add(request: HttpRequest, pk: int, kind: str = ActivityKind.IDEATION) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    if kind in VOTING_KINDS:
        return _vote_form_page(request, workshop, None, kind)
    return _activity_form_page(request, workshop, None)


@login_required
def activity_edit(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    workshop = _workshop_for(request, pk)
    activity = get_object_or_404(Activity, pk=activity_id, workshop=workshop)
    if activity.is_voting:
        return _vote_form_page(request, workshop, activity, activity.kind)
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
