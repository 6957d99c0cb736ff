"""The ideation board: columns, limits, identity modes, edits and withdrawals by the
author, +1 reactions, and the facilitator's moderation (hide/restore, spotlight,
clusters, reveal), each with its permission and phase rules."""

import pytest

from ateliers import actions as workshop_actions
from ateliers import agenda, journey_maps
from ateliers.errors import (
    ActivityClosed,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotAuthor,
    NoteLimitReached,
    NotFound,
    ReactionsOff,
    WorkshopClosed,
)
from ateliers.models import Activity
from participation import actions, journeys, moderation
from participation.models import Cluster, Contribution, Participant, Reaction
from realtime.models import CommandReceipt, WorkshopEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def configure(facilitator, activity: Activity, **changes) -> Activity:
    """Change an activity's settings the way the agenda page does."""
    settings = {
        "title": activity.title,
        "prompt": activity.prompt,
        "columns": [c["label"] for c in activity.columns],
        "identity": activity.identity,
        "private": activity.private,
        "reactions": activity.reactions,
        "max_notes": activity.max_notes,
        **changes,
    }
    agenda.activity_update(
        user=facilitator, workshop_id=activity.workshop_id, activity_id=activity.pk, **settings
    )
    activity.refresh_from_db()
    return activity


@pytest.fixture
def board(live_workshop) -> Activity:
    return live_workshop.current_activity


def join(workshop, token: str, **profile) -> Participant:
    profile.setdefault("profile", "usager")
    return actions.participant_join(workshop=workshop, device_token=token, **profile)


@pytest.fixture
def lea(live_workshop) -> Participant:
    return join(live_workshop, "lea", display_name="Léa")


@pytest.fixture
def sam(live_workshop) -> Participant:
    return join(live_workshop, "sam", profile="agent")


def post(participant, activity, body="Une idée", **extra) -> Contribution:
    outcome = actions.contribution_create(
        participant=participant, activity_id=activity.pk, body=body, **extra
    )
    return Contribution.objects.get(pk=outcome.result["contribution_id"])


def last_event(workshop) -> WorkshopEvent:
    return WorkshopEvent.objects.filter(workshop=workshop).order_by("-seq").first()


# Columns and limits -----------------------------------------------------------------------


def test_a_board_with_columns_needs_one_of_them(facilitator, board, lea):
    configure(facilitator, board, columns=["Irritants", "Idées"])
    keys = [c["key"] for c in board.columns]
    with pytest.raises(InvalidInput):
        post(lea, board)
    with pytest.raises(InvalidInput):
        post(lea, board, column="c99")
    note = post(lea, board, column=keys[1])
    assert note.column == keys[1]


def test_renaming_a_column_keeps_its_notes_and_a_used_column_cannot_be_dropped(
    facilitator, board, lea
):
    configure(facilitator, board, columns=["Irritants", "Idées"])
    first_key = board.columns[0]["key"]
    post(lea, board, column=first_key)
    configure(facilitator, board, columns=["Difficultés", "Idées"])
    assert board.columns[0] == {"key": first_key, "label": "Difficultés"}
    with pytest.raises(InvalidTransition):
        configure(facilitator, board, columns=["Idées"])


def test_the_notes_per_participant_limit_is_enforced_per_activity(facilitator, board, lea, sam):
    configure(facilitator, board, max_notes=2)
    post(lea, board, "Un")
    post(lea, board, "Deux")
    with pytest.raises(NoteLimitReached):
        post(lea, board, "Trois")
    post(sam, board, "Sam peut encore")
    assert Contribution.objects.filter(participant=lea).count() == 2


def test_a_note_over_the_length_limit_is_refused_and_nothing_is_written(board, lea, settings):
    with pytest.raises(InvalidInput):
        post(lea, board, "x" * (settings.CONTRIBUTION_MAX_LENGTH + 1))
    assert not Contribution.objects.exists()


# Identity modes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "expected"),
    [("anonymous", None), ("pseudonymous", "pseudonym"), ("named", "Léa")],
)
def test_notes_are_signed_as_the_activity_says(facilitator, board, lea, identity, expected):
    configure(facilitator, board, identity=identity)
    note = post(lea, board)
    shown = last_event(board.workshop).payload
    if expected is None:
        assert '"author":null' in shown
    else:
        author = lea.pseudonym if expected == "pseudonym" else expected
        assert f'"author":"{author}"' in shown
    assert "Léa" not in shown or identity == "named"
    assert note.participant_id == lea.pk  # the author is still known for edits and limits


def test_named_mode_falls_back_to_the_pseudonym_of_someone_who_gave_no_name(
    facilitator, board, sam
):
    configure(facilitator, board, identity="named")
    post(sam, board)
    assert f'"author":"{sam.pseudonym}"' in last_event(board.workshop).payload


def test_pseudonyms_are_distinct_within_a_workshop(live_workshop):
    people = [join(live_workshop, f"device-{n}") for n in range(45)]
    assert len({p.pseudonym for p in people}) == 45


def test_identity_and_private_mode_are_frozen_once_an_activity_has_notes(facilitator, board, lea):
    post(lea, board)
    with pytest.raises(InvalidTransition):
        configure(facilitator, board, identity="named")
    with pytest.raises(InvalidTransition):
        configure(facilitator, board, private=True)
    board.refresh_from_db()
    assert board.identity == "anonymous" and not board.private


# Edits and withdrawals by the author --------------------------------------------------------


def test_the_author_edits_their_note_while_the_activity_is_open(board, lea):
    note = post(lea, board)
    outcome = actions.contribution_update(
        participant=lea, contribution_id=note.pk, body="  Mieux dit  "
    )
    note.refresh_from_db()
    assert note.body == "Mieux dit" and note.edited_at is not None
    assert outcome.result["contribution"]["edited"] is True
    assert last_event(board.workshop).type == "contribution.updated"


def test_nobody_edits_or_withdraws_someone_elses_note(board, lea, sam):
    note = post(lea, board)
    with pytest.raises(NotAuthor):
        actions.contribution_update(participant=sam, contribution_id=note.pk, body="Piraté")
    with pytest.raises(NotAuthor):
        actions.contribution_withdraw(participant=sam, contribution_id=note.pk)
    note.refresh_from_db()
    assert note.body == "Une idée"


def test_a_note_of_another_workshop_is_not_found(facilitator, challenge, board, lea):
    other = workshop_actions.workshop_create(user=facilitator, challenge=challenge, title="Autre")
    workshop_actions.workshop_start(user=facilitator, workshop_id=other.pk)
    stranger = join(other, "stranger")
    note = post(lea, board)
    with pytest.raises(NotFound):
        actions.contribution_withdraw(participant=stranger, contribution_id=note.pk)


def test_a_hidden_note_stays_in_the_record_whatever_its_author_tries(facilitator, board, lea):
    note = post(lea, board)
    moderation.contribution_hide(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk, reason="Insulte"
    )
    with pytest.raises(InvalidTransition):
        actions.contribution_withdraw(participant=lea, contribution_id=note.pk)
    with pytest.raises(InvalidTransition):
        actions.contribution_update(participant=lea, contribution_id=note.pk, body="Autre")
    note.refresh_from_db()
    assert note.body == "Une idée" and note.hidden_reason == "Insulte"


def test_a_closed_activity_freezes_its_notes(facilitator, board, lea):
    note = post(lea, board)
    workshop_actions.activity_close(
        user=facilitator, workshop_id=board.workshop_id, activity_id=board.pk
    )
    with pytest.raises(ActivityClosed):
        actions.contribution_update(participant=lea, contribution_id=note.pk, body="Trop tard")
    with pytest.raises(ActivityClosed):
        actions.contribution_withdraw(participant=lea, contribution_id=note.pk)
    with pytest.raises(ActivityClosed):
        post(lea, board, "Encore une")


def test_withdrawing_deletes_the_note_and_turns_its_spotlight_off(facilitator, board, lea):
    note = post(lea, board)
    moderation.contribution_spotlight(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk
    )
    actions.contribution_withdraw(participant=lea, contribution_id=note.pk, request_id="w1")
    assert not Contribution.objects.filter(pk=note.pk).exists()
    board.workshop.refresh_from_db()
    assert board.workshop.spotlight_id is None
    # A retried withdraw answers from its receipt instead of failing on a missing note.
    again = actions.contribution_withdraw(participant=lea, contribution_id=note.pk, request_id="w1")
    assert again.replayed


# Reactions -------------------------------------------------------------------------------


def test_a_reaction_counts_once_per_person_and_can_be_taken_back(facilitator, board, lea, sam):
    configure(facilitator, board, reactions=True)
    note = post(lea, board)
    for _ in range(2):  # a double tap
        actions.reaction_set(participant=sam, contribution_id=note.pk, on=True)
    note.refresh_from_db()
    assert note.reaction_count == 1 == Reaction.objects.filter(contribution=note).count()
    actions.reaction_set(participant=sam, contribution_id=note.pk, on=False)
    note.refresh_from_db()
    assert note.reaction_count == 0 == Reaction.objects.filter(contribution=note).count()


def test_reactions_need_the_facilitators_permission_and_someone_elses_visible_note(
    facilitator, board, lea, sam
):
    note = post(lea, board)
    with pytest.raises(ReactionsOff):
        actions.reaction_set(participant=sam, contribution_id=note.pk, on=True)
    configure(facilitator, board, reactions=True)
    with pytest.raises(InvalidInput):
        actions.reaction_set(participant=lea, contribution_id=note.pk, on=True)
    moderation.contribution_hide(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk, reason="Spam"
    )
    with pytest.raises(NotFound):
        actions.reaction_set(participant=sam, contribution_id=note.pk, on=True)
    assert not Reaction.objects.exists()


# Moderation ------------------------------------------------------------------------------


def test_hiding_keeps_the_note_and_its_reason_and_phones_get_a_removal(facilitator, board, lea):
    note = post(lea, board)
    with pytest.raises(InvalidInput):  # a reason is required
        moderation.contribution_hide(
            user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk, reason=" "
        )
    moderation.contribution_hide(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk, reason="Insulte"
    )
    note.refresh_from_db()
    assert note.status == "hidden" and note.hidden_reason == "Insulte"
    event = last_event(board.workshop)
    assert '"hidden_reason":"Insulte"' in event.payload
    assert event.phone_payload == (
        f'{{"type":"contribution.removed","seq":{event.seq},"contribution_id":{note.pk}}}'
    )
    moderation.contribution_restore(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk
    )
    note.refresh_from_db()
    assert note.status == "visible" and note.hidden_reason == "Insulte"  # kept for the record
    restored = last_event(board.workshop)
    assert "Insulte" in restored.payload and "Insulte" not in restored.phone_payload


def test_only_a_visible_note_goes_in_the_spotlight(facilitator, board, lea):
    note = post(lea, board)
    moderation.contribution_hide(
        user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk, reason="Doublon"
    )
    with pytest.raises(InvalidTransition):
        moderation.contribution_spotlight(
            user=facilitator, workshop_id=board.workshop_id, contribution_id=note.pk
        )


def test_clusters_group_notes_of_one_activity_and_deleting_one_keeps_its_notes(
    facilitator, live_workshop, board, lea
):
    first, second = post(lea, board, "Accueil"), post(lea, board, "Horaires")
    made = moderation.cluster_create(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=board.pk,
        title="  Accueil  ",
        contribution_ids=[first.pk, second.pk, first.pk],
    )
    cluster = Cluster.objects.get(pk=made.result["cluster_id"])
    assert cluster.title == "Accueil"
    assert set(cluster.contributions.values_list("pk", flat=True)) == {first.pk, second.pk}
    other = agenda.activity_add(user=facilitator, workshop_id=live_workshop.pk, title="Suite")
    elsewhere = moderation.cluster_create(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=other.result["activity_id"],
        title="Ailleurs",
    )
    with pytest.raises(InvalidInput):
        moderation.contribution_move(
            user=facilitator,
            workshop_id=live_workshop.pk,
            contribution_id=first.pk,
            cluster_id=elsewhere.result["cluster_id"],
        )
    moderation.cluster_delete(user=facilitator, workshop_id=live_workshop.pk, cluster_id=cluster.pk)
    assert Contribution.objects.filter(pk__in=[first.pk, second.pk], cluster=None).count() == 2


def test_a_private_activity_is_redacted_for_phones_until_revealed(facilitator, board, lea):
    configure(facilitator, board, private=True)
    note = post(lea, board, "Secret")
    created = last_event(board.workshop)
    assert "Secret" in created.payload
    assert created.phone_payload == f'{{"type":"redacted","seq":{created.seq}}}'
    moderation.activity_reveal(
        user=facilitator, workshop_id=board.workshop_id, activity_id=board.pk
    )
    revealed = last_event(board.workshop)
    assert revealed.type == "activity.revealed" and "Secret" in revealed.payload
    assert revealed.phone_payload is None  # phones get the same text
    with pytest.raises(InvalidTransition):  # revealed once
        moderation.activity_reveal(
            user=facilitator, workshop_id=board.workshop_id, activity_id=board.pk
        )
    assert Contribution.objects.get(pk=note.pk).body == "Secret"


# Permissions and phases, for every facilitator command -----------------------------------


def _facilitator_calls(workshop, activity, note, cluster):
    """Every facilitator action with valid arguments for this workshop."""
    w = workshop.pk
    return {
        "workshop_show_authors": (workshop_actions.workshop_show_authors, {"visible": True}),
        "agenda_goto": (workshop_actions.agenda_goto, {"activity_id": activity.pk}),
        "agenda_next": (workshop_actions.agenda_next, {}),
        "agenda_previous": (workshop_actions.agenda_previous, {}),
        "activity_close": (workshop_actions.activity_close, {"activity_id": activity.pk}),
        "activity_reveal": (moderation.activity_reveal, {"activity_id": activity.pk}),
        "timer_start": (workshop_actions.timer_start, {"seconds": 60}),
        "contribution_hide": (
            moderation.contribution_hide,
            {"contribution_id": note.pk, "reason": "Hors sujet"},
        ),
        "contribution_restore": (moderation.contribution_restore, {"contribution_id": note.pk}),
        "contribution_spotlight": (
            moderation.contribution_spotlight,
            {"contribution_id": note.pk},
        ),
        "contribution_move": (
            moderation.contribution_move,
            {"contribution_id": note.pk, "cluster_id": cluster.pk},
        ),
        "cluster_create": (moderation.cluster_create, {"activity_id": activity.pk, "title": "T"}),
        "cluster_rename": (moderation.cluster_rename, {"cluster_id": cluster.pk, "title": "T2"}),
        "cluster_delete": (moderation.cluster_delete, {"cluster_id": cluster.pk}),
        "activity_add": (agenda.activity_add, {"title": "Nouvelle"}),
        "activity_move": (agenda.activity_move, {"activity_id": activity.pk, "offset": 1}),
        "activity_delete": (agenda.activity_delete, {"activity_id": activity.pk}),
        "contribution_place": (
            journeys.contribution_place,
            {"contribution_id": note.pk, "column": "c1", "lane": "l1"},
        ),
        "journey_add": (journey_maps.journey_add, {"title": "Parcours"}),
        "journey_vote": (journey_maps.journey_vote, {"activity_id": activity.pk}),
    }, w


@pytest.fixture
def moderated(facilitator, live_workshop, board, lea):
    note = post(lea, board)
    cluster_id = moderation.cluster_create(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=board.pk, title="Groupe"
    ).result["cluster_id"]
    return live_workshop, board, note, Cluster.objects.get(pk=cluster_id)


COMMANDS = [
    "workshop_show_authors",
    "agenda_goto",
    "agenda_next",
    "agenda_previous",
    "activity_close",
    "activity_reveal",
    "timer_start",
    "contribution_hide",
    "contribution_restore",
    "contribution_spotlight",
    "contribution_move",
    "cluster_create",
    "cluster_rename",
    "cluster_delete",
    "activity_add",
    "activity_move",
    "activity_delete",
    "contribution_place",
    "journey_add",
    "journey_vote",
]


@pytest.mark.parametrize("name", COMMANDS)
def test_no_facilitator_command_works_for_someone_who_does_not_facilitate_the_workshop(
    moderated, name
):
    workshop, activity, note, cluster = moderated
    calls, workshop_id = _facilitator_calls(workshop, activity, note, cluster)
    action, kwargs = calls[name]
    workshop.refresh_from_db()
    before = workshop.last_seq
    with pytest.raises(Forbidden):
        action(user=UserFactory(), workshop_id=workshop_id, **kwargs)
    workshop.refresh_from_db()
    assert workshop.last_seq == before  # nothing published


@pytest.mark.parametrize("name", COMMANDS)
def test_no_facilitator_command_changes_a_closed_workshop(facilitator, moderated, name):
    workshop, activity, note, cluster = moderated
    workshop_actions.workshop_close(user=facilitator, workshop_id=workshop.pk)
    workshop.refresh_from_db()
    before = workshop.last_seq
    calls, workshop_id = _facilitator_calls(workshop, activity, note, cluster)
    action, kwargs = calls[name]
    with pytest.raises(WorkshopClosed):
        action(user=facilitator, workshop_id=workshop_id, **kwargs)
    workshop.refresh_from_db()
    assert workshop.last_seq == before


def test_every_facilitator_command_of_the_socket_is_in_the_permission_matrix():
    from realtime.consumers import FACILITATOR_ACTIONS

    tested = {name.replace("_", ".", 1) for name in COMMANDS} | {
        "workshop.start",  # tests/test_actions_workshops.py
        "workshop.close",
        "activity.open",
        "timer.pause",  # tests/test_actions_timer.py
        "timer.resume",
        "timer.extend",
        "timer.stop",
        "vote.shortlist",  # tests/test_actions_voting.py
    }
    missing = set(FACILITATOR_ACTIONS) - tested
    assert not missing, f"add {missing} to COMMANDS"


def test_a_retried_facilitator_command_is_applied_once(facilitator, moderated):
    workshop, activity, _note, _cluster = moderated
    for _ in range(2):
        moderation.cluster_create(
            user=facilitator,
            workshop_id=workshop.pk,
            activity_id=activity.pk,
            title="Une fois",
            request_id="same",
        )
    assert Cluster.objects.filter(title="Une fois").count() == 1
    assert CommandReceipt.objects.filter(request_id="same").count() == 1
