"""Joining from a phone over HTTP: the code, the notice, the profile and the cookie."""

import pytest
from django.conf import settings
from django.urls import reverse

from ateliers import actions as workshop_actions
from participation.models import Participant

pytestmark = pytest.mark.django_db


def test_the_code_can_be_typed_in_lower_case_with_a_dash(client, live_workshop):
    code = live_workshop.join_code
    typed = f"{code[:3].lower()}-{code[3:].lower()}"
    response = client.post(reverse("join"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("join_workshop", kwargs={"code": code})


def test_a_wrong_code_gets_a_clear_error_and_no_participant(client, live_workshop):
    response = client.post(reverse("join"), {"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert "Aucun atelier ouvert ne correspond à ce code" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_closed_workshop_code_is_refused(client, facilitator, live_workshop):
    workshop_actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)
    response = client.get(reverse("join_workshop", kwargs={"code": live_workshop.join_code}))
    assert response.status_code == 404


def test_the_join_page_shows_the_data_notice_before_anything_is_stored(client, live_workshop):
    response = client.get(reverse("join_workshop", kwargs={"code": live_workshop.join_code}))
    page = response.content.decode()
    assert "Vos données" in page
    assert "Vous n'avez pas besoin de compte" in page
    assert not Participant.objects.exists()


def test_joining_creates_a_participant_and_sets_a_safe_device_cookie(client, live_workshop):
    response = client.post(
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}),
        {"profile": "usager", "display_name": "", "organisation": "", "territory": "Nièvre"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("participate", kwargs={"workshop_id": live_workshop.pk})
    participant = Participant.objects.get()
    assert (participant.profile, participant.territory) == ("usager", "Nièvre")
    cookie = response.cookies[settings.PARTICIPANT_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.PARTICIPANT_COOKIE_MAX_AGE
    assert participant.device_hash not in cookie.value


def test_a_profile_is_optional_and_reads_non_renseigne(client, live_workshop):
    """Giving a profile is optional (docs/privacy.md): none given is "non renseigné"."""
    response = client.post(
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}), {"display_name": "A"}
    )
    assert response.status_code == 302
    assert Participant.objects.get().profile == "non_renseigne"


def test_rejoining_from_the_same_phone_keeps_one_participant(client, live_workshop):
    url = reverse("join_workshop", kwargs={"code": live_workshop.join_code})
    client.post(url, {"profile": "usager"})
    client.post(url, {"profile": "agent"})
    assert Participant.objects.get().profile == "agent"


def test_the_phone_page_needs_a_participant_and_never_reveals_the_code(client, live_workshop):
    url = reverse("participate", kwargs={"workshop_id": live_workshop.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("join")
    client.post(
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}), {"profile": "elu"}
    )
    assert client.get(url).status_code == 200


def test_a_tampered_device_cookie_counts_as_no_device(client, live_workshop):
    client.post(
        reverse("join_workshop", kwargs={"code": live_workshop.join_code}), {"profile": "elu"}
    )
    value = client.cookies[settings.PARTICIPANT_COOKIE_NAME].value
    client.cookies[settings.PARTICIPANT_COOKIE_NAME] = value[:-2] + "xx"
    response = client.get(reverse("participate", kwargs={"workshop_id": live_workshop.pk}))
    assert response.status_code == 302


def test_guessing_codes_is_throttled_but_the_right_code_still_works_below_the_limit(
    client, live_workshop
):
    from django.core.cache import cache

    from participation.throttle import WRONG_CODES_ALLOWED

    cache.clear()
    for n in range(WRONG_CODES_ALLOWED - 1):
        assert client.post(reverse("join"), {"code": f"WRONG{n}"}).status_code == 404
    assert client.post(reverse("join"), {"code": live_workshop.join_code}).status_code == 302
    client.post(reverse("join"), {"code": "WRONGX"})
    response = client.post(reverse("join"), {"code": live_workshop.join_code})
    assert response.status_code == 429
    assert "Trop de codes erronés" in response.content.decode()
    cache.clear()
