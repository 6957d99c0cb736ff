"""Domain errors: a stable `code` for machines and a French `message` for people.

Actions raise them; the WebSocket consumer turns them into an `error` reply to the
sender only, and pages and the REST API into a 4xx with the same code.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A command that the rules refuse. Nothing has been written when it is raised."""

    code = "invalid"
    status = 400
    default_message = _("Cette action n'est pas possible.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Cet élément n'existe pas dans cet atelier.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("Vous n'avez pas le droit de faire cette action.")


class NotJoined(DomainError):
    code = "not_joined"
    status = 401
    default_message = _("Rejoignez d'abord l'atelier avec son code.")


class WorkshopNotLive(DomainError):
    code = "workshop_not_live"
    status = 409
    default_message = _("L'atelier n'est pas en cours.")


class WorkshopClosed(DomainError):
    code = "workshop_closed"
    status = 410
    default_message = _("Cet atelier est clôturé.")


class ActivityClosed(DomainError):
    code = "activity_closed"
    status = 409
    default_message = _("Cette activité n'accepte pas de contributions pour le moment.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("Ce changement d'état n'est pas possible maintenant.")


class UnknownJoinCode(DomainError):
    code = "unknown_code"
    status = 404
    default_message = _(
        "Aucun atelier ouvert ne correspond à ce code. Vérifiez-le auprès de l'animateur·rice."
    )


class InvalidInput(DomainError):
    code = "invalid_input"
    default_message = _("Ce contenu n'est pas valide.")


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429
    default_message = _("Trop de codes erronés depuis cette connexion : réessayez dans 10 minutes.")


class NotAuthor(DomainError):
    code = "not_author"
    status = 403
    default_message = _("Seul·e l'auteur·rice de cette contribution peut la modifier.")


class NoteLimitReached(DomainError):
    code = "note_limit"
    status = 409
    default_message = _("Vous avez atteint le nombre maximum de contributions pour cette activité.")


class ReactionsOff(DomainError):
    code = "reactions_off"
    status = 409
    default_message = _("Les réactions ne sont pas ouvertes sur cette activité.")


class VoteBudgetSpent(DomainError):
    code = "vote_budget"
    status = 409
    default_message = _("Vous avez utilisé tous vos points. Retirez-en un pour voter ailleurs.")


class ItemVoteLimit(DomainError):
    code = "item_limit"
    status = 409
    default_message = _("Vous avez mis le maximum de points sur cet élément.")
