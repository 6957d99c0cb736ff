"""Dot voting and two-axis rating: budgets and limits, items, hidden-then-revealed
results, the split by profile under the small-group rule, and frozen final results."""

import json

import pytest

from ateliers import actions as workshop_actions
from ateliers import agenda
from ateliers.errors import (
    ActivityClosed,
    InvalidInput,
    InvalidTransition,
    ItemVoteLimit,
    NotFound,
    VoteBudgetSpent,
)
from ateliers.models import Activity
from participation import actions, moderation, voting
from participation.models import Vote, VoteItem
from participation.tallies import tally_out
from realtime.events import SyncReply
from realtime.models import WorkshopEvent
from realtime.replay import sync_reply

pytestmark = pytest.mark.django_db


def join(workshop, token, profile="usager"):
    return actions.participant_join(workshop=workshop, device_token=token, profile=profile)


@pytest.fixture
def board_with_notes(live_workshop):
    """The live workshop's board with three notes from three people."""
    board = live_workshop.current_activity
    for n, body in enumerate(["Un seul guichet", "Horaires élargis", "Moins de papiers"]):
        author = join(live_workshop, f"author-{n}")
        actions.contribution_create(participant=author, activity_id=board.pk, body=body)
    return board


def add_vote(facilitator, workshop, board, **settings) -> Activity:
    settings.setdefault("private", False)
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=workshop.pk, title="Vote", source_id=board.pk, **settings
    )
    activity = Activity.objects.get(pk=made.result["activity_id"])
    workshop_actions.agenda_goto(user=facilitator, workshop_id=workshop.pk, activity_id=activity.pk)
    activity.refresh_from_db()
    return activity


@pytest.fixture
def vote(facilitator, live_workshop, board_with_notes):
    return add_vote(
        facilitator, live_workshop, board_with_notes, votes_per_person=3, max_per_item=2
    )


def items(activity) -> list[VoteItem]:
    return list(activity.vote_items.order_by("position"))


def last_tally(workshop, phone: bool = False) -> dict:
    event = (
        WorkshopEvent.objects.filter(workshop=workshop, type="vote.tally").order_by("-seq").first()
    )
    text = (event.phone_payload or event.payload) if phone else event.payload
    return json.loads(text)["tally"]


def test_opening_a_vote_puts_the_visible_notes_of_its_board_to_the_room(
    facilitator, live_workshop, board_with_notes
):
    hidden = board_with_notes.contributions.get(body="Horaires élargis")
    moderation.contribution_hide(
        user=facilitator, workshop_id=live_workshop.pk, contribution_id=hidden.pk, reason="Doublon"
    )
    activity = add_vote(facilitator, live_workshop, board_with_notes)
    assert [i.label for i in items(activity)] == ["Un seul guichet", "Moins de papiers"]
    assert WorkshopEvent.objects.filter(workshop=live_workshop, type="vote.items").exists()


def test_a_shortlist_chooses_the_items_until_the_first_vote(
    facilitator, live_workshop, board_with_notes
):
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="Vote", source_id=board_with_notes.pk
    )
    activity_id = made.result["activity_id"]
    notes = list(board_with_notes.contributions.order_by("pk"))
    voting.vote_shortlist(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=activity_id,
        contribution_ids=[notes[2].pk, notes[0].pk],
    )
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    activity = Activity.objects.get(pk=activity_id)
    assert [i.label for i in items(activity)] == ["Moins de papiers", "Un seul guichet"]
    voter = join(live_workshop, "voter")
    voting.vote_add(participant=voter, item_id=items(activity)[0].pk)
    with pytest.raises(InvalidTransition):
        voting.vote_shortlist(
            user=facilitator,
            workshop_id=live_workshop.pk,
            activity_id=activity_id,
            contribution_ids=[notes[1].pk],
        )


def test_the_budget_and_the_per_item_limit_hold(live_workshop, vote):
    person = join(live_workshop, "voter")
    first, second, _third = items(vote)
    voting.vote_add(participant=person, item_id=first.pk)
    voting.vote_add(participant=person, item_id=first.pk)
    with pytest.raises(ItemVoteLimit):
        voting.vote_add(participant=person, item_id=first.pk)
    outcome = voting.vote_add(participant=person, item_id=second.pk)
    assert outcome.result["left"] == 0
    assert outcome.result["votes"] == {str(first.pk): 2, str(second.pk): 1}
    with pytest.raises(VoteBudgetSpent):
        voting.vote_add(participant=person, item_id=second.pk)
    taken_back = voting.vote_remove(participant=person, item_id=first.pk)
    assert taken_back.result["left"] == 1
    with pytest.raises(InvalidTransition):
        voting.vote_remove(participant=person, item_id=_third.pk)
    assert Vote.objects.filter(participant=person).count() == 2


def test_a_retried_vote_counts_once(live_workshop, vote):
    person = join(live_workshop, "voter")
    item = items(vote)[0]
    for _ in range(3):
        voting.vote_add(participant=person, item_id=item.pk, request_id="tap-1")
    assert Vote.objects.filter(participant=person).count() == 1


def test_a_closed_vote_refuses_votes_and_its_final_tally_equals_the_rows(
    facilitator, live_workshop, vote
):
    people = [join(live_workshop, f"v{n}") for n in range(6)]
    first, second, _ = items(vote)
    for n, person in enumerate(people):
        voting.vote_add(participant=person, item_id=first.pk)
        if n % 2:
            voting.vote_add(participant=person, item_id=second.pk)
    workshop_actions.activity_close(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk
    )
    with pytest.raises(ActivityClosed):
        voting.vote_add(participant=people[0], item_id=second.pk)
    with pytest.raises(ActivityClosed):
        voting.vote_remove(participant=people[0], item_id=first.pk)
    final = last_tally(live_workshop)
    assert final["final"] is True and final["voters"] == 6
    counts = {t["item_id"]: t["count"] for t in final["items"]}
    for item in items(vote):
        assert counts[item.pk] == Vote.objects.filter(item=item).count()
    assert counts[first.pk] == 6 and counts[second.pk] == 3
    with pytest.raises(InvalidTransition):  # frozen: a closed vote never reopens
        workshop_actions.activity_open(
            user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk
        )


def test_hidden_results_never_reach_a_phone_until_revealed(
    facilitator, live_workshop, board_with_notes, django_capture_on_commit_callbacks
):
    activity = add_vote(facilitator, live_workshop, board_with_notes, private=True)
    watcher = join(live_workshop, "watcher")
    person = join(live_workshop, "voter")
    with django_capture_on_commit_callbacks(execute=True):  # the coalesced tally
        voting.vote_add(participant=person, item_id=items(activity)[0].pk)
    phone_view = last_tally(live_workshop, phone=True)
    assert phone_view == {
        "activity_id": activity.pk,
        "voters": 1,
        "final": False,
        "items": None,
        "by_profile": None,
    }
    assert last_tally(live_workshop)["items"] is not None  # facilitators see it
    reply = sync_reply(live_workshop.pk, 0, watcher)
    for event in SyncReply.model_validate_json(reply).events:
        if event["type"] == "vote.tally":
            assert event["tally"]["items"] is None
    snapshot = SyncReply.model_validate_json(sync_reply(live_workshop.pk, None, watcher))
    assert snapshot.snapshot.tallies[0].items is None

    moderation.activity_reveal(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity.pk
    )
    assert last_tally(live_workshop, phone=True)["items"][0]["count"] == 1


def test_results_split_by_profile_follow_the_small_group_rule(live_workshop, vote):
    first, second, _ = items(vote)
    for n in range(6):
        voting.vote_add(participant=join(live_workshop, f"u{n}", "usager"), item_id=first.pk)
    for n in range(5):
        voting.vote_add(participant=join(live_workshop, f"a{n}", "agent"), item_id=second.pk)
    for n in range(2):
        voting.vote_add(participant=join(live_workshop, f"e{n}", "elu"), item_id=second.pk)
    by_profile = tally_out(vote).by_profile
    assert by_profile["elu"].voters == "<5" and by_profile["elu"].items is None
    # One small group among several: the next smallest is hidden too.
    assert by_profile["agent"].voters == "hidden" and by_profile["agent"].items is None
    assert by_profile["usager"].voters == 6 and by_profile["usager"].items == {first.pk: 6}


def test_a_rating_places_each_item_at_its_mean_with_its_spread(
    facilitator, live_workshop, board_with_notes
):
    activity = add_vote(
        facilitator, live_workshop, board_with_notes, kind="rating", axis_x="Impact", axis_y="Coût"
    )
    item = items(activity)[0]
    for n, (x, y) in enumerate([(5, 1), (3, 3), (4, 2)]):
        voting.rating_set(participant=join(live_workshop, f"r{n}"), item_id=item.pk, x=x, y=y)
    again = join(live_workshop, "r0")
    voting.rating_set(participant=again, item_id=item.pk, x=5, y=1)  # same again: no change
    rated = next(t for t in tally_out(activity).items if t.item_id == item.pk)
    assert rated.n == 3 and rated.x_mean == 4.0 and rated.y_mean == 2.0
    assert rated.x_sd == pytest.approx(0.816, abs=0.001)
    with pytest.raises(InvalidInput):
        voting.rating_set(participant=again, item_id=item.pk, x=6, y=1)
    with pytest.raises(NotFound):  # a dot vote command on a rating item
        voting.vote_add(participant=again, item_id=item.pk)


def test_a_vote_on_an_item_whose_note_was_hidden_is_refused(facilitator, live_workshop, vote):
    item = items(vote)[0]
    moderation.contribution_hide(
        user=facilitator,
        workshop_id=live_workshop.pk,
        contribution_id=item.contribution_id,
        reason="Hors sujet",
    )
    with pytest.raises(NotFound):
        voting.vote_add(participant=join(live_workshop, "v"), item_id=item.pk)


def test_a_vote_takes_no_written_contribution(live_workshop, vote):
    with pytest.raises(InvalidInput):
        actions.contribution_create(
            participant=join(live_workshop, "p"), activity_id=vote.pk, body="Texte"
        )


def test_the_rules_of_a_started_vote_are_frozen(facilitator, live_workshop, vote):
    with pytest.raises(InvalidTransition):
        agenda.vote_activity_update(
            user=facilitator,
            workshop_id=live_workshop.pk,
            activity_id=vote.pk,
            title="Vote",
            prompt="",
            source_id=vote.source_id,
            vote_target="notes",
            votes_per_person=10,
            max_per_item=2,
            private=False,
            anonymous_votes=True,
        )
    with pytest.raises(InvalidInput):
        agenda.vote_activity_add(
            user=facilitator,
            workshop_id=live_workshop.pk,
            title="Trop",
            votes_per_person=3,
            max_per_item=4,
        )


def test_a_vote_that_opens_publishes_an_empty_tally_and_cannot_be_revealed_before(
    facilitator, live_workshop, board_with_notes
):
    made = agenda.vote_activity_add(
        user=facilitator,
        workshop_id=live_workshop.pk,
        title="Vote",
        source_id=board_with_notes.pk,
        private=True,
    )
    activity_id = made.result["activity_id"]
    with pytest.raises(InvalidTransition):  # not started: nothing to reveal yet
        moderation.activity_reveal(
            user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
        )
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    opening = last_tally(live_workshop)
    assert opening["voters"] == 0 and {t["count"] for t in opening["items"]} == {0}
    assert len(opening["items"]) == 3


def test_a_note_hidden_after_a_vote_opened_leaves_the_vote_for_everyone(
    facilitator, live_workshop, vote
):
    hidden = items(vote)[0]
    moderation.contribution_hide(
        user=facilitator,
        workshop_id=live_workshop.pk,
        contribution_id=hidden.contribution_id,
        reason="Insulte",
    )
    shown = json.loads(
        WorkshopEvent.objects.filter(workshop=live_workshop, type="vote.items")
        .order_by("-seq")
        .first()
        .payload
    )["items"]
    assert hidden.pk not in [i["id"] for i in shown] and len(shown) == 2
    watcher = join(live_workshop, "watcher")
    snapshot = SyncReply.model_validate_json(sync_reply(live_workshop.pk, None, watcher)).snapshot
    assert hidden.pk not in [i.id for i in snapshot.vote_items]
    moderation.contribution_restore(
        user=facilitator, workshop_id=live_workshop.pk, contribution_id=hidden.contribution_id
    )
    snapshot = SyncReply.model_validate_json(sync_reply(live_workshop.pk, None, watcher)).snapshot
    assert hidden.pk in [i.id for i in snapshot.vote_items]


def test_a_private_board_not_yet_revealed_cannot_be_put_to_a_vote(
    facilitator, live_workshop, board_with_notes
):
    board_with_notes.private = True
    board_with_notes.save()
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=live_workshop.pk, title="Vote", source_id=board_with_notes.pk
    )
    activity_id = made.result["activity_id"]
    with pytest.raises(InvalidTransition, match="Révélez d'abord"):
        workshop_actions.agenda_goto(
            user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
        )
    with pytest.raises(InvalidTransition, match="Révélez d'abord"):
        voting.vote_shortlist(
            user=facilitator,
            workshop_id=live_workshop.pk,
            activity_id=activity_id,
            contribution_ids=[board_with_notes.contributions.first().pk],
        )
    assert not VoteItem.objects.filter(activity_id=activity_id).exists()
    moderation.activity_reveal(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=board_with_notes.pk
    )
    workshop_actions.agenda_goto(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=activity_id
    )
    assert VoteItem.objects.filter(activity_id=activity_id).count() == 3


def test_closing_the_workshop_turns_the_spotlight_off(facilitator, live_workshop, board_with_notes):
    note = board_with_notes.contributions.first()
    moderation.contribution_spotlight(
        user=facilitator, workshop_id=live_workshop.pk, contribution_id=note.pk
    )
    workshop_actions.workshop_close(user=facilitator, workshop_id=live_workshop.pk)
    live_workshop.refresh_from_db()
    assert live_workshop.spotlight_id is None
