"""The phone's pages: join by code, read the notice, give a profile, then contribute."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ateliers.errors import DomainError, TooManyAttempts, UnknownJoinCode
from ateliers.join_codes import display_join_code, normalise_join_code
from ateliers.models import Workshop, WorkshopState
from participation import actions, privacy
from participation.devices import device_token_from_request, new_device_token, set_device_cookie
from participation.forms import EraseForm, JoinCodeForm, ProfileForm
from participation.models import Participant
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
            "retention": privacy.retention_label(workshop.personal_data_retention_days),
            "erased_after": workshop.personal_data_erased_after,
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


# "Mes données": what is stored about me, to download or erase (docs/privacy.md) ----------


def _my_participant(request: HttpRequest, workshop_id: int) -> tuple[Workshop, Participant | None]:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    return workshop, participant_for_device(workshop.pk, device_token_from_request(request))


def _my_data_page(
    request: HttpRequest,
    workshop: Workshop,
    participant: Participant,
    form: EraseForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "participation/my_data.html",
        {
            "workshop": workshop,
            "participant": participant,
            "summary": privacy.participant_summary(participant),
            "form": form,
            "retention": privacy.retention_label(workshop.personal_data_retention_days),
        },
        status=status,
    )


@require_http_methods(["GET"])
def my_data(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """Everything this phone's participant left in the workshop, their reference for the
    project lead, a download and the erase form."""
    workshop, participant = _my_participant(request, workshop_id)
    if participant is None:
        return redirect(reverse("join"))
    return _my_data_page(request, workshop, participant, EraseForm())


@require_http_methods(["GET"])
def my_data_export(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """The same JSON a project lead exports on request, for the person themselves."""
    _workshop, participant = _my_participant(request, workshop_id)
    if participant is None:
        raise Http404
    return privacy_json_response(participant)


def privacy_json_response(participant: Participant) -> JsonResponse:
    response = JsonResponse(
        privacy.participant_data(participant),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    filename = f"cocon-mes-donnees-{privacy.participant_reference(participant)}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def my_data_erase(request: HttpRequest, workshop_id: int) -> HttpResponse:
    """Erase this phone's participant and everything they gave, once confirmed. The
    device cookie goes too, unless the phone is still in another workshop."""
    workshop, participant = _my_participant(request, workshop_id)
    if participant is None:
        return redirect(reverse("join"))
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, workshop, participant, form, status=400)
    hash_ = participant.device_hash
    try:
        privacy.participant_erase(participant=participant)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _my_data_page(request, workshop, participant, form, status=exc.status)
    response = render(request, "participation/my_data_erased.html", {"workshop": workshop})
    if not Participant.objects.filter(device_hash=hash_).exists():
        response.delete_cookie(settings.PARTICIPANT_COOKIE_NAME, samesite="Lax")
    return response
