"""Review findings on the changes since 19523b6: each test states what a user should get
and fails on the code as it is (real PostgreSQL and Redis, `make test`)."""

import json
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection

from ateliers import actions as workshop_actions
from ateliers import agenda
from ateliers.errors import DomainError
from ateliers.models import Activity
from participation import actions, moderation, pacing, voting
from participation.models import Vote
from realtime.coalesce import claim
from realtime.events import SyncReply
from realtime.models import WorkshopEvent
from realtime.replay import sync_reply

BODIES = ["Un seul guichet", "Horaires élargis", "Moins de papiers"]


def join(workshop, token, profile="usager"):
    return actions.participant_join(workshop=workshop, device_token=token, profile=profile)


def post_notes(workshop, board) -> None:
    for n, body in enumerate(BODIES):
        author = join(workshop, f"author-{n}")
        actions.contribution_create(participant=author, activity_id=board.pk, body=body)


def configure_board(facilitator, board, **changes) -> None:
    settings = {
        "title": board.title,
        "prompt": board.prompt,
        "columns": [c["label"] for c in board.columns],
        "identity": board.identity,
        "private": board.private,
        "reactions": board.reactions,
        "max_notes": board.max_notes,
        **changes,
    }
    agenda.activity_update(
        user=facilitator, workshop_id=board.workshop_id, activity_id=board.pk, **settings
    )
    board.refresh_from_db()


def add_vote(facilitator, workshop, board, *, go=True, **settings) -> Activity:
    settings.setdefault("private", False)
    made = agenda.vote_activity_add(
        user=facilitator, workshop_id=workshop.pk, title="Vote", source_id=board.pk, **settings
    )
    activity = Activity.objects.get(pk=made.result["activity_id"])
    if go:
        workshop_actions.agenda_goto(
            user=facilitator, workshop_id=workshop.pk, activity_id=activity.pk
        )
        activity.refresh_from_db()
    return activity


def phone_texts(workshop, since: int = 0) -> list[str]:
    """Every event text a phone receives (live or by replay) after `since`."""
    return [
        phone or full
        for full, phone in WorkshopEvent.objects.filter(workshop=workshop, seq__gt=since)
        .order_by("seq")
        .values_list("payload", "phone_payload")
    ]


def phone_snapshot(workshop, participant):
    return SyncReply.model_validate_json(sync_reply(workshop.pk, None, participant)).snapshot


# 1. A note the facilitator hides stays on every phone as a vote item -------------------


@pytest.mark.django_db
def test_a_note_hidden_during_a_vote_is_not_shown_to_phones_as_a_vote_item(
    facilitator, live_workshop
):
    board = live_workshop.current_activity
    post_notes(live_workshop, board)
    vote = add_vote(facilitator, live_workshop, board)
    offensive = board.contributions.get(body="Horaires élargis")
    moderation.contribution_hide(
        user=facilitator,
        workshop_id=live_workshop.pk,
        contribution_id=offensive.pk,
        reason="Propos injurieux",
    )
    phone = join(live_workshop, "late-phone")
    snapshot = phone_snapshot(live_workshop, phone)
    # The board no longer shows it to phones...
    assert offensive.pk not in [c.id for c in snapshot.contributions]
    # ...but the vote screen of every phone (and of any phone that reloads) still does.
    labels = [item.label for item in snapshot.vote_items if item.activity_id == vote.pk]
    assert "Horaires élargis" not in labels


# 2. Unrevealed private notes reach phones through a vote's items ---------------------------


@pytest.mark.django_db
def test_a_shortlist_does_not_send_unrevealed_private_notes_to_phones(facilitator, live_workshop):
    board = live_workshop.current_activity
    configure_board(facilitator, board, private=True)
    post_notes(live_workshop, board)
    assert board.is_hidden_from_phones
    # A vote prepared for later (still pending): nothing is open, nothing revealed.
    vote = add_vote(facilitator, live_workshop, board, go=False)
    seq = WorkshopEvent.objects.filter(workshop=live_workshop).order_by("-seq").first().seq
    with pytest.raises(DomainError, match="Révélez d'abord"):  # refused, and said why
        voting.vote_shortlist(
            user=facilitator,
            workshop_id=live_workshop.pk,
            activity_id=vote.pk,
            contribution_ids=list(board.contributions.values_list("pk", flat=True)),
        )
    board.refresh_from_db()
    assert board.is_hidden_from_phones  # the board was never revealed
    leaked = [body for text in phone_texts(live_workshop, seq) for body in BODIES if body in text]
    assert leaked == []


# 3. The cross-process tally throttle is a no-op on the Redis cache ------------------------


@pytest.mark.django_db
def test_a_published_tally_holds_the_cross_process_throttle_for_the_interval(
    facilitator, live_workshop
):
    board = live_workshop.current_activity
    post_notes(live_workshop, board)
    vote = add_vote(facilitator, live_workshop, board)
    cache.clear()
    pacing.flush(
        "tally", live_workshop.pk, vote.pk, voting.publish_tally
    )  # this process publishes...
    # ...so another server process must find the key taken for TALLY_INTERVAL and wait.
    # RedisCache truncates the timeout with int(0.5) == 0: add() sets then deletes the
    # key, so every process publishes every interval.
    assert not claim(f"cocon:tally:{vote.pk}", voting.TALLY_INTERVAL)


# 4. Un-hiding results from the vote form leaves live phones on the hidden tally ------------


@pytest.mark.django_db
def test_showing_results_from_the_vote_form_reaches_live_phones_as_the_snapshot_does(
    facilitator, live_workshop
):
    board = live_workshop.current_activity
    post_notes(live_workshop, board)
    vote = add_vote(facilitator, live_workshop, board, private=True)
    voter = join(live_workshop, "voter")
    voting.vote_add(participant=voter, item_id=vote.vote_items.first().pk)
    workshop_actions.activity_close(
        user=facilitator, workshop_id=live_workshop.pk, activity_id=vote.pk
    )
    agenda.vote_activity_update(  # the facilitator unticks "hide results"
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=vote.pk,
        title=vote.title,
        prompt=vote.prompt,
        source_id=board.pk,
        vote_target=vote.vote_target,
        votes_per_person=vote.votes_per_person,
        max_per_item=vote.max_per_item,
        private=False,
        anonymous_votes=vote.anonymous_votes,
    )
    phone = join(live_workshop, "watcher")
    tallies = phone_snapshot(live_workshop, phone).tallies
    from_snapshot = next(t for t in tallies if t.activity_id == vote.pk)
    assert from_snapshot.items is not None  # a phone that reloads sees the results
    last_tally = [json.loads(t) for t in phone_texts(live_workshop) if '"vote.tally"' in t][-1]
    # A phone that stayed connected only ever got the hidden version.
    assert last_tally["tally"]["items"] is not None


# 5. A shortlist racing the first vote deletes an acknowledged vote ------------------------


@pytest.mark.django_db(transaction=True)
def test_a_vote_acknowledged_while_the_shortlist_runs_is_not_silently_deleted(
    facilitator, live_workshop, monkeypatch
):
    board = live_workshop.current_activity
    post_notes(live_workshop, board)
    vote = add_vote(facilitator, live_workshop, board, votes_per_person=3)
    voter = join(live_workshop, "voter")
    item = vote.vote_items.first()
    acks: list = []
    refusals: list = []
    original = voting._set_items

    def vote_now():
        try:
            acks.append(voting.vote_add(participant=voter, item_id=item.pk, request_id="v1"))
        except DomainError as exc:
            refusals.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=vote_now)

    def set_items_while_a_vote_arrives(activity, chosen):
        # The shortlist has checked "no vote yet"; a phone votes now. Its vote must wait
        # for the shortlist (the activity row is locked) instead of committing under it.
        thread.start()
        time.sleep(0.5)
        assert not Vote.objects.filter(participant=voter).exists()
        return original(activity, chosen)

    monkeypatch.setattr(voting, "_set_items", set_items_while_a_vote_arrives)
    voting.vote_shortlist(
        user=facilitator,
        workshop_id=live_workshop.pk,
        activity_id=vote.pk,
        contribution_ids=list(board.contributions.values_list("pk", flat=True)),
    )
    thread.join(20)
    # The vote aimed at an item the shortlist replaced: refused and told, never acked
    # and then lost.
    assert [e.code for e in refusals] == ["not_found"] and acks == []
    assert not Vote.objects.filter(participant=voter).exists()
