"""What the project team decided about a workshop's outputs, and the public results page.

Project leads record, for a note, a cluster or a voted item, whether it is kept, to be
explored or set aside (with a reason), and where it went in the project: the end of the
trace from a participant's note to the dossier (ateliers.evidence). They also switch on
the public page "what became of your contributions". Desk work: no realtime event, one
transaction per change, the workshop row locked so two leads' changes queue.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.actions import lock_workshop
from ateliers.errors import DomainError, Forbidden, InvalidInput, NotFound
from ateliers.models import Challenge, Decision, DecisionStatus, Workshop
from ateliers.permissions import can_manage_challenge, can_view_challenge
from ateliers.text import clean_text
from participation.models import Cluster, Contribution, ContributionStatus, VoteItem

TARGET_KINDS = ("contribution", "cluster", "vote_item")
TEXT_MAX = 2000


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = gettext_lazy(
        "Indiquez pourquoi cet élément est écarté : les participant·es ont le droit de le savoir."
    )


def _managed(user: AbstractBaseUser, workshop_id: int) -> Workshop:
    """Lock the workshop for a lead of its challenge. Who may not even see the challenge
    learns nothing (NotFound); a facilitator who is not a lead reads but may not decide."""
    workshop = lock_workshop(workshop_id)
    challenge = Challenge.objects.get(pk=workshop.challenge_id)
    if not can_view_challenge(user, challenge):
        raise NotFound()
    if not can_manage_challenge(user, challenge):
        raise Forbidden(_("Seul·es les porteur·euses du défi enregistrent les décisions."))
    return workshop


def decision_target(
    workshop: Workshop, target_kind: str, target_id: int
) -> Contribution | Cluster | VoteItem:
    """The output a decision is about, if it belongs to this workshop. A note the
    facilitators hid (or a vote item showing one) is not part of the results."""
    if target_kind == "contribution":
        note = Contribution.objects.filter(pk=target_id, activity__workshop=workshop).first()
        if note is None or note.status != ContributionStatus.VISIBLE:
            raise NotFound(_("Cette contribution ne fait pas partie des résultats de l'atelier."))
        return note
    if target_kind == "cluster":
        cluster = Cluster.objects.filter(pk=target_id, activity__workshop=workshop).first()
        if cluster is None:
            raise NotFound(_("Ce regroupement ne fait pas partie de cet atelier."))
        return cluster
    if target_kind == "vote_item":
        item = (
            VoteItem.objects.select_related("contribution")
            .filter(pk=target_id, activity__workshop=workshop)
            .first()
        )
        if item is None or (
            item.contribution is not None and item.contribution.status != ContributionStatus.VISIBLE
        ):
            raise NotFound(_("Cet élément ne fait pas partie des votes de cet atelier."))
        return item
    raise InvalidInput(_("Type d'élément inconnu."))


def decision_set(
    *,
    user: AbstractBaseUser,
    workshop_id: int,
    target_kind: str,
    target_id: int,
    status: str,
    reason: str = "",
    destination: str = "",
) -> Decision:
    """Record (or change) the team's decision about one output of the workshop."""
    if status not in DecisionStatus.values:
        raise InvalidInput(_("Choisissez une décision : retenu, à explorer ou écarté."))
    reason, destination = (clean_text(t, limit=TEXT_MAX) for t in (reason, destination))
    if status == DecisionStatus.SET_ASIDE and not reason:
        raise ReasonRequired()
    with transaction.atomic():
        workshop = _managed(user, workshop_id)
        target = decision_target(workshop, target_kind, target_id)
        decision, _created = Decision.objects.update_or_create(
            **{target_kind: target},
            defaults={
                "workshop": workshop,
                "status": status,
                "reason": reason,
                "destination": destination,
                "decided_by": user,
                "decided_at": timezone.now(),
            },
        )
    return decision


def decision_clear(
    *, user: AbstractBaseUser, workshop_id: int, target_kind: str, target_id: int
) -> bool:
    """Withdraw the decision about an output (it is undecided again). False if there was
    none."""
    if target_kind not in TARGET_KINDS:
        raise InvalidInput(_("Type d'élément inconnu."))
    with transaction.atomic():
        workshop = _managed(user, workshop_id)
        deleted, _rows = Decision.objects.filter(
            workshop=workshop, **{f"{target_kind}_id": target_id}
        ).delete()
    return bool(deleted)


# The public results page ----------------------------------------------------------------


def public_results_set(*, user: AbstractBaseUser, workshop_id: int, on: bool) -> Workshop:
    """Switch the public page on or off. Its address is drawn the first time and kept
    when it is switched off, so a QR code already printed works again once it is back
    on."""
    with transaction.atomic():
        workshop = _managed(user, workshop_id)
        workshop.public_results = on
        fields = ["public_results"]
        if on and not workshop.public_token:
            workshop.public_token = secrets.token_urlsafe(18)  # 24 characters
            fields.append("public_token")
        workshop.save(update_fields=fields)
    return workshop


def public_results_url(request: HttpRequest | None, workshop: Workshop) -> str | None:
    """The public page's address while it is on (else None): absolute from PUBLIC_URL or
    the request; only the path when neither is known (a PDF built outside a request)."""
    if not workshop.public_results or not workshop.public_token:
        return None
    path = reverse("public_results", kwargs={"token": workshop.public_token})
    if settings.PUBLIC_URL:
        return f"{settings.PUBLIC_URL}{path}"
    return request.build_absolute_uri(path) if request is not None else path
