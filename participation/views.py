"""The phone's pages: join by code, read the notice, give a profile, then contribute."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ateliers.errors import DomainError, TooManyAttempts, UnknownJoinCode
from ateliers.join_codes import display_join_code, normalise_join_code
from ateliers.models import Workshop, WorkshopState
from participation import actions
from participation.devices import device_token_from_request, new_device_token, set_device_cookie
from participation.forms import JoinCodeForm, ProfileForm
from participation.selectors import participant_for_device
from participation.throttle import count_wrong_code, wrong_codes_exhausted


def open_workshop_by_code(request: HttpRequest, code: str) -> Workshop:
    """The open workshop with this code; wrong codes are counted and throttled."""
    if wrong_codes_exhausted(request):
        raise TooManyAttempts()
    workshop = (
        Workshop.objects.filter(join_code=normalise_join_code(code))
        .exclude(state=WorkshopState.CLOSED)
        .first()
    )
    if workshop is None:
        count_wrong_code(request)
        raise UnknownJoinCode()
    return workshop


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type the code shown on the big screen."""
    form = JoinCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            workshop = open_workshop_by_code(request, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            return render(request, "participation/join.html", {"form": form}, status=exc.status)
        return redirect("join_workshop", code=workshop.join_code)
    return render(request, "participation/join.html", {"form": form})


@require_http_methods(["GET", "POST"])
def join_workshop(request: HttpRequest, code: str) -> HttpResponse:
    """The data notice and the optional profile; the POST sets the device cookie."""
    try:
        workshop = open_workshop_by_code(request, code)
    except DomainError as exc:
        form = JoinCodeForm()
        return render(
            request,
            "participation/join.html",
            {"form": form, "error": exc.message},
            status=exc.status,
        )
    token = device_token_from_request(request)
    existing = participant_for_device(workshop.pk, token)
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
    """The phone's live page. Without a participant on this device, back to the code form
    (never to a URL with the code: knowing a workshop's id must not reveal its code)."""
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    participant = participant_for_device(workshop.pk, device_token_from_request(request))
    if participant is None:
        if workshop.state == WorkshopState.CLOSED:
            return render(
                request,
                "participation/join.html",
                {"form": JoinCodeForm(), "error": _("Cet atelier est clôturé.")},
                status=410,
            )
        return redirect(reverse("join"))
    return render(
        request, "participation/phone.html", {"workshop": workshop, "participant": participant}
    )
