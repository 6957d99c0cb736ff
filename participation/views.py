"""The phone's pages: join by code, read the notice, give a profile, then contribute."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ateliers.errors import DomainError, UnknownJoinCode
from ateliers.join_codes import display_join_code, normalise_join_code
from ateliers.models import Workshop, WorkshopState
from participation import actions
from participation.devices import device_token_from_request, new_device_token, set_device_cookie
from participation.forms import JoinCodeForm, ProfileForm
from participation.models import Participant


def open_workshop_by_code(code: str) -> Workshop:
    workshop = (
        Workshop.objects.filter(join_code=normalise_join_code(code))
        .exclude(state=WorkshopState.CLOSED)
        .first()
    )
    if workshop is None:
        raise UnknownJoinCode()
    return workshop


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the code shown on the big screen."""
    form = JoinCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            workshop = open_workshop_by_code(form.cleaned_data["code"])
        except UnknownJoinCode as exc:
            form.add_error("code", exc.message)
        else:
            return redirect("join_workshop", code=workshop.join_code)
    status = 404 if form.is_bound and form.errors.get("code") else 200
    return render(request, "participation/join.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def join_workshop(request: HttpRequest, code: str) -> HttpResponse:
    """The data notice and the optional profile; the POST sets the device cookie."""
    try:
        workshop = open_workshop_by_code(code)
    except UnknownJoinCode as exc:
        form = JoinCodeForm(initial={"code": code})
        return render(
            request, "participation/join.html", {"form": form, "error": exc.message}, status=404
        )
    token = device_token_from_request(request)
    existing = (
        Participant.objects.filter(
            workshop=workshop, device_hash=actions.device_hash(token)
        ).first()
        if token
        else None
    )
    initial = (
        {
            "profile": existing.profile,
            "display_name": existing.display_name,
            "organisation": existing.organisation,
            "territory": existing.territory,
        }
        if existing
        else None
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        token = token or new_device_token()
        try:
            actions.participant_join(workshop=workshop, device_token=token, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            response = redirect("participate", workshop_id=workshop.pk)
            set_device_cookie(response, token)
            return response
    return render(
        request,
        "participation/join_workshop.html",
        {
            "workshop": workshop,
            "form": form,
            "code": display_join_code(workshop.join_code),
            "rejoining": existing is not None,
        },
    )


def participate(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """The phone's live page. Without a participant on this device, back to joining."""
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    token = device_token_from_request(request)
    participant = (
        Participant.objects.filter(
            workshop=workshop, device_hash=actions.device_hash(token)
        ).first()
        if token
        else None
    )
    if participant is None:
        if workshop.state == WorkshopState.CLOSED:
            return render(
                request,
                "participation/join.html",
                {"form": JoinCodeForm(), "error": _("Cet atelier est clôturé.")},
                status=410,
            )
        return redirect(reverse("join_workshop", kwargs={"code": workshop.join_code}))
    return render(
        request, "participation/phone.html", {"workshop": workshop, "participant": participant}
    )
