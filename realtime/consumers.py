"""The workshop WebSocket: thin on purpose.

It authenticates the socket, parses each frame into a typed command inside one error
boundary, calls the action that does the work, and answers the sender with an `ack`
or a typed `error`. Events reach the socket through its process's workshop hub
(`realtime.fanout`), as the pre-encoded text `realtime.broadcast` produced. A bad frame
never closes the socket by itself; a client that keeps sending them is closed (1008).
A participant's sockets share one command rate, and sockets over a per-participant or
per-address cap are refused with close code 4429 (realtime.limits).
"""

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from ateliers import actions as workshop_actions
from ateliers.errors import DomainError, Forbidden, NotFound, NotJoined
from ateliers.models import Workshop
from ateliers.permissions import can_facilitate
from participation import actions as participation_actions
from participation import journeys, moderation, voting
from participation.models import Participant
from participation.selectors import participant_for_device
from realtime import failures, presence
from realtime.commands import AnyCommand, command_adapter
from realtime.events import Ack, ErrorReply, Pong
from realtime.fanout import WorkshopHub, hub_for
from realtime.limits import SharedBuckets, Slots, TokenBucket
from realtime.receipts import CommandResult
from realtime.replay import latest_seq, sync_reply

logger = logging.getLogger(__name__)

PHONE, SCREEN = "phone", "screen"
CLOSE_NOT_JOINED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_POLICY = 1008
CLOSE_TRY_AGAIN = 1013
CLOSE_TOO_MANY_SOCKETS = 4429
# A client sending more bad frames than this within the window is closed (1008).
MAX_ERRORS, ERROR_WINDOW = 20, 10.0
# Valid commands per participant (all its sockets together; per socket for screens): a
# burst (a phone flushing its outbox), then a steady rate.
COMMAND_BURST, COMMANDS_PER_SECOND = 30, 5.0
INTERNAL_ERROR = _("Erreur du serveur : votre envoi sera réessayé.")
UNAVAILABLE = _("Service momentanément indisponible : reconnexion dans un instant.")
SLOW_DOWN = _("Trop de messages d'un coup : votre envoi sera réessayé.")
TOO_MANY_SOCKETS = _(
    "Trop de connexions ouvertes depuis cet appareil ou ce réseau : fermez les onglets "
    "en trop, nouvelle tentative dans un instant."
)


# Per process (realtime.limits): the sockets held by each participant and each client
# address, and the command bucket each participant's sockets share.
PARTICIPANT_SOCKETS, ADDRESS_SOCKETS = Slots(), Slots()
PARTICIPANT_BUCKETS = SharedBuckets(COMMAND_BURST, COMMANDS_PER_SECOND)


class WorkshopConsumer(AsyncWebsocketConsumer):
    # No channel of its own: events come through the process's hub, so the socket never
    # waits on Redis and survives a Redis restart (an unknown alias means no layer).
    channel_layer_alias = "no channel layer for sockets"
    workshop_id: int
    role: str
    participant: Participant | None = None
    hub: WorkshopHub | None = None
    address: str | None = None  # holds a slot in ADDRESS_SOCKETS while set
    holds_participant: bool = False  # holds a slot and the shared bucket of its participant

    # Connection lifecycle ---------------------------------------------------------------

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.socket_id = uuid.uuid4().hex  # names this socket in the presence table
        self.workshop_id = int(kwargs["workshop_id"])
        self.role = kwargs["role"]
        self.error_times: list[float] = []
        self.bucket = TokenBucket(COMMAND_BURST, COMMANDS_PER_SECOND)
        await self.accept()
        if not self.take_address_slot():
            await self.refuse_too_many_sockets()
            return
        try:
            await database_sync_to_async(self.authenticate)()
            if self.participant is not None and not self.take_participant_slot():
                await self.refuse_too_many_sockets()
                return
            # Subscribed before the client's first sync: nothing falls between the two.
            self.hub = await hub_for(self.workshop_id)
            self.hub.attach(self, screen=self.role == SCREEN)
            await database_sync_to_async(presence.connection_open)(
                self.workshop_id,
                self.socket_id,
                self.participant.pk if self.participant else None,
            )
            presence.schedule_presence(self.workshop_id)
            if self.role == SCREEN:
                current = await database_sync_to_async(presence.presence)(self.workshop_id)
                await self.send_text(current.model_dump_json())
        except DomainError as exc:
            self.release_slots()
            await self.send_error(None, exc.code, exc.message)
            code = CLOSE_NOT_JOINED if isinstance(exc, NotJoined) else CLOSE_FORBIDDEN
            await self.close(code=code)
        except Exception:
            logger.warning("connect failed on workshop %s", self.workshop_id, exc_info=True)
            self.release_slots()
            if self.hub is not None:
                self.hub.detach(self)
                self.hub = None
            await self.send_error(None, "unavailable", UNAVAILABLE, retryable=True)
            await self.close(code=CLOSE_TRY_AGAIN)

    def take_address_slot(self) -> bool:
        """One more socket from this client address (Daphne's --proxy-headers gives the
        phone's own address behind the proxy). A venue's phones may share one NAT
        address, hence a high cap: it stops one machine holding thousands of sockets.
        A socket without an address (a Unix socket, the test client) is not counted."""
        client = self.scope.get("client") or (None,)
        address = str(client[0] or "")
        if not address:
            return True
        if not ADDRESS_SOCKETS.take(address, settings.WS_MAX_SOCKETS_PER_ADDRESS):
            return False
        self.address = address
        return True

    def take_participant_slot(self) -> bool:
        """One more socket for this participant, which then draws on the participant's
        shared command bucket instead of one of its own."""
        assert self.participant is not None
        key = self.participant.pk
        if not PARTICIPANT_SOCKETS.take(key, settings.WS_MAX_SOCKETS_PER_PARTICIPANT):
            return False
        self.holds_participant = True
        self.bucket = PARTICIPANT_BUCKETS.hold(key)
        return True

    def release_slots(self) -> None:
        """Give back what the socket holds; safe to call more than once."""
        if self.address is not None:
            ADDRESS_SOCKETS.give_back(self.address)
            self.address = None
        if self.holds_participant and self.participant is not None:
            PARTICIPANT_SOCKETS.give_back(self.participant.pk)
            PARTICIPANT_BUCKETS.let_go(self.participant.pk)
            self.holds_participant = False

    async def refuse_too_many_sockets(self) -> None:
        """Over a socket cap: a typed, retryable error, then 4429. Nothing else of the
        client's is touched, and nobody else's."""
        self.release_slots()
        await self.send_error(None, "too_many_connections", TOO_MANY_SOCKETS, retryable=True)
        await self.close(code=CLOSE_TOO_MANY_SOCKETS)

    def authenticate(self) -> None:
        """Phones need a participant of this workshop; screens a facilitator."""
        workshop = Workshop.objects.select_related("challenge").filter(pk=self.workshop_id).first()
        if workshop is None:
            raise NotFound(_("Cet atelier n'existe pas."))
        if self.role == SCREEN:
            if not can_facilitate(self.scope["user"], workshop):
                raise Forbidden(_("Connectez-vous avec un compte qui anime cet atelier."))
            return
        participant = participant_for_device(workshop.pk, self.scope.get("device_token"))
        if participant is None:
            raise NotJoined()
        self.participant = participant

    async def disconnect(self, code: int) -> None:
        self.release_slots()
        if self.hub is None:
            return
        self.hub.detach(self)
        self.hub = None
        try:
            await database_sync_to_async(presence.connection_close)(self.socket_id)
            presence.schedule_presence(self.workshop_id)
        except Exception:  # presence rows age out by themselves
            logger.warning("disconnect cleanup failed on workshop %s", self.workshop_id)

    async def send_text(self, text: str) -> None:
        """Every message to this socket goes here, the hub's deliveries included. A socket
        that closed meanwhile is not an error: what was done is done (a committed idea
        stays committed) and its client resends with the same request_id."""
        if too_large_to_send(text):
            # Daphne would drop it without a trace; say so, loudly, instead.
            logger.error(
                "not sent: a %d-character message to a %s of workshop %s is over "
                "WS_MAX_OUTGOING_BYTES (starts %r)",
                len(text),
                self.role,
                self.workshop_id,
                text[:80],
            )
            return
        try:
            await self.base_send({"type": "websocket.send", "text": text})
        except Exception:
            logger.debug("send to a closed socket of workshop %s", self.workshop_id)

    # Inbound: one error boundary ---------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.hub is None:
            return  # refused at connect; the close is on its way
        request_id = None
        try:
            command = self.parse(text_data, bytes_data)
            request_id = getattr(command, "request_id", None)
            if not self.bucket.take():
                await self.send_error(request_id, "rate_limited", SLOW_DOWN, retryable=True)
                return
            await self.dispatch_command(command)
        except BadFrame as exc:
            await self.reject_bad_frame(exc)
        except DomainError as exc:
            if not await self.refuse_if_erased(request_id):
                await self.send_error(request_id, exc.code, exc.message)
        except Exception as exc:
            # A database that restarted, went read-only or is full: typed and retryable,
            # the screens told (realtime/failures.py); anything else is a bug.
            failure = failures.classify(exc)
            if failure is None:
                if await self.refuse_if_erased(request_id):
                    return
                logger.exception("command failed on workshop %s", self.workshop_id)
                await self.send_error(request_id, "internal_error", INTERNAL_ERROR, retryable=True)
                return
            logger.warning(
                "command failed on workshop %s: %s (%s)", self.workshop_id, failure.code, exc
            )
            await self.send_error(request_id, failure.code, failure.message, retryable=True)
            await failures.notify_screens(self.workshop_id, failure)
            await failures.recover(failure)

    async def refuse_if_erased(self, request_id: str | None) -> bool:
        """A phone's command failed: was its person erased meanwhile (docs/privacy.md)?
        Then it is no longer in the workshop: say so and close (4401), so that the phone
        asks to join again instead of retrying forever. Checked on failures only."""
        if self.participant is None:
            return False
        try:
            # database_sync_to_async, not the ORM's aexists(): it gives the connection
            # back to the pool afterwards, where aexists() would keep one per socket.
            exists = Participant.objects.filter(pk=self.participant.pk).exists
            if await database_sync_to_async(exists)():
                return False
        except Exception:  # the database is the trouble: the caller's answer stands
            return False
        refused = NotJoined()
        await self.send_error(request_id, refused.code, refused.message)
        self.release_slots()
        await self.close(code=CLOSE_NOT_JOINED)
        return True

    def parse(self, text_data: str | None, bytes_data: bytes | None) -> AnyCommand:
        if text_data is None:
            raise BadFrame("bad_frame", _("Seuls les messages texte JSON sont acceptés."))
        if len(text_data.encode("utf-8", "surrogatepass")) > settings.WS_MAX_MESSAGE_BYTES:
            raise BadFrame("too_large", _("Message trop long."))
        try:
            return command_adapter.validate_json(text_data)
        except ValidationError as exc:
            raise BadFrame.from_validation(exc, text_data) from None

    async def dispatch_command(self, command: AnyCommand) -> None:
        role, handler = HANDLERS[command.type]
        if role is not None and role != self.role:
            raise Forbidden()
        await handler(self, command)

    async def reject_bad_frame(self, exc: "BadFrame") -> None:
        """Answer a frame that is not a valid command; close a client that keeps sending
        them (refusals by the rules, like a closed activity, do not count)."""
        await self.send_error(exc.request_id, exc.code, exc.message)
        now = time.monotonic()
        self.error_times = [t for t in self.error_times if now - t < ERROR_WINDOW] + [now]
        if len(self.error_times) > MAX_ERRORS:
            self.release_slots()
            await self.close(code=CLOSE_POLICY)

    async def send_error(
        self, request_id: str | None, code: str, message: str, *, retryable: bool = False
    ) -> None:
        reply = ErrorReply(
            request_id=request_id, code=code, message=str(message), retryable=retryable
        )
        await self.send_text(reply.model_dump_json())

    async def send_ack(self, request_id: str, outcome: CommandResult) -> None:
        ack = Ack(request_id=request_id, seq=outcome.seq, result=outcome.result)
        await self.send_text(ack.model_dump_json())

    # Command handlers ----------------------------------------------------------------------

    async def on_sync(self, command: Any) -> None:
        if await self.screen_revoked():
            return
        reply = await database_sync_to_async(sync_reply)(
            self.workshop_id, command.last_seq, self.participant
        )
        await self.send_text(reply)

    async def on_ping(self, command: Any) -> None:
        if await self.screen_revoked():
            return
        # Re-joining is idempotent and heals memberships lost in a Redis restart.
        if self.hub is not None:
            await self.hub.heal()
        presence.touch_soon(self.socket_id)
        seq = await latest_seq(self.workshop_id)
        await self.send_text(Pong(seq=seq, server_time=timezone.now()).model_dump_json())

    # Access (docs/security.md): a screen's rights are checked again on every sync and
    # ping (commands check them on their own), so a facilitator removed from the workshop
    # loses the screen they left open within a heartbeat.
    async def screen_revoked(self) -> bool:
        if self.role != SCREEN or await database_sync_to_async(self.may_facilitate)():
            return False
        refused = Forbidden(_("Vous n'animez plus cet atelier."))
        await self.send_error(None, refused.code, refused.message)
        await self.close(code=CLOSE_FORBIDDEN)
        return True

    def may_facilitate(self) -> bool:
        workshop = Workshop.objects.select_related("challenge").filter(pk=self.workshop_id).first()
        return workshop is not None and can_facilitate(self.scope["user"], workshop)

    async def on_participant_command(self, command: Any) -> None:
        """Every phone command maps to one action, called with this socket's participant;
        the command's fields, but for its type and request id, are the arguments."""
        action = PARTICIPANT_ACTIONS[command.type]
        # Votes take no workshop-wide lock: they may run on several threads (and database
        # connections) at once instead of queuing on the process's one database thread.
        parallel = command.type in PARALLEL_COMMANDS
        outcome = await database_sync_to_async(action, thread_sensitive=not parallel)(
            participant=self.participant,
            request_id=command.request_id,
            **command.model_dump(exclude={"type", "request_id"}),
        )
        await self.send_ack(command.request_id, outcome)

    async def on_facilitator_command(self, command: Any) -> None:
        """Every screen command maps to one action; its fields, but for the type and the
        request id, are the action's arguments."""
        action = FACILITATOR_ACTIONS[command.type]
        outcome = await database_sync_to_async(action)(
            user=self.scope["user"],
            workshop_id=self.workshop_id,
            request_id=command.request_id,
            **command.model_dump(exclude={"type", "request_id"}),
        )
        await self.send_ack(command.request_id, outcome)

    # ASGI messages ---------------------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels runs `aclose_old_connections()` on the shared database thread before
        every message. Here every database call goes through database_sync_to_async,
        which does that itself, so a frame skips the hop (about 30 % of the server's CPU
        per message, measured in bench/RESULTS.md)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


Handler = Callable[[WorkshopConsumer, Any], Awaitable[None]]
# Phone commands -> the action each one runs.
PARTICIPANT_ACTIONS: dict[str, Callable[..., CommandResult]] = {
    "contribution.create": participation_actions.contribution_create,
    "contribution.update": participation_actions.contribution_update,
    "contribution.withdraw": participation_actions.contribution_withdraw,
    "reaction.set": participation_actions.reaction_set,
    "vote.add": voting.vote_add,
    "vote.remove": voting.vote_remove,
    "rating.set": voting.rating_set,
    "rating.clear": voting.rating_clear,
    "feeling.set": journeys.feeling_set,
    "feeling.clear": journeys.feeling_clear,
}
# Commands that take no workshop lock (participation.voting, participation.journeys).
PARALLEL_COMMANDS = frozenset(
    {"vote.add", "vote.remove", "rating.set", "rating.clear", "feeling.set", "feeling.clear"}
)
# Screen commands -> the action each one runs.
FACILITATOR_ACTIONS: dict[str, Callable[..., CommandResult]] = {
    "workshop.start": workshop_actions.workshop_start,
    "workshop.close": workshop_actions.workshop_close,
    "workshop.show_authors": workshop_actions.workshop_show_authors,
    "agenda.goto": workshop_actions.agenda_goto,
    "agenda.next": workshop_actions.agenda_next,
    "agenda.previous": workshop_actions.agenda_previous,
    "activity.open": workshop_actions.activity_open,
    "activity.close": workshop_actions.activity_close,
    "activity.reveal": moderation.activity_reveal,
    "timer.start": workshop_actions.timer_start,
    "timer.pause": workshop_actions.timer_pause,
    "timer.resume": workshop_actions.timer_resume,
    "timer.extend": workshop_actions.timer_extend,
    "timer.stop": workshop_actions.timer_stop,
    "contribution.hide": moderation.contribution_hide,
    "contribution.restore": moderation.contribution_restore,
    "contribution.spotlight": moderation.contribution_spotlight,
    "contribution.move": moderation.contribution_move,
    "contribution.place": journeys.contribution_place,
    "cluster.create": moderation.cluster_create,
    "cluster.rename": moderation.cluster_rename,
    "cluster.delete": moderation.cluster_delete,
    "vote.shortlist": voting.vote_shortlist,
}
# Command type -> (the role allowed to send it, or None for any; its handler).
HANDLERS: dict[str, tuple[str | None, Handler]] = {
    "sync": (None, WorkshopConsumer.on_sync),
    "ping": (None, WorkshopConsumer.on_ping),
    **{name: (PHONE, WorkshopConsumer.on_participant_command) for name in PARTICIPANT_ACTIONS},
    **{name: (SCREEN, WorkshopConsumer.on_facilitator_command) for name in FACILITATOR_ACTIONS},
}


def too_large_to_send(text: str) -> bool:
    """Over the transport's limit once encoded? Cheap for the usual small message: only a
    text that could exceed it (UTF-8 takes at most 4 bytes a character) is encoded."""
    limit = settings.WS_MAX_OUTGOING_BYTES
    return len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit


class BadFrame(Exception):
    """A frame that is not a valid command; nothing was done."""

    def __init__(self, code: str, message: str, request_id: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.request_id = code, message, request_id

    @classmethod
    def from_validation(cls, exc: ValidationError, text: str) -> "BadFrame":
        kinds = {error["type"] for error in exc.errors()}
        request_id = _request_id_of(text)
        if "json_invalid" in kinds or "json_type" in kinds:
            return cls("bad_json", _("Message illisible : JSON attendu."))
        if kinds & {"union_tag_invalid", "union_tag_not_found"}:
            return cls("unknown_command", _("Commande inconnue."), request_id)
        return cls("invalid_command", _("Commande mal formée."), request_id)


def _request_id_of(text: str) -> str | None:
    """The request_id of a well-formed JSON object, if it looks like one, to echo back."""
    try:
        value = json.loads(text).get("request_id")
    except (ValueError, AttributeError, RecursionError):
        return None
    if (
        isinstance(value, str)
        and 0 < len(value) <= 64
        and value.replace("-", "").replace("_", "").isalnum()
    ):
        return value
    return None
