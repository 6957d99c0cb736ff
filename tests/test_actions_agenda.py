"""The agenda: templates, moving through activities from the big screen, and editing
the agenda before and during the workshop."""

import pytest

from ateliers import actions, agenda
from ateliers.agenda_templates import TEMPLATES, clean_columns
from ateliers.errors import InvalidInput, InvalidTransition, WorkshopNotLive
from ateliers.models import ActivityState
from participation import actions as participation_actions
from participation import moderation
from realtime.models import WorkshopEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def simplificathon(facilitator, challenge):
    return actions.workshop_create(
        user=facilitator, challenge=challenge, title="Faisons simple", template="simplificathon"
    )


def titles(workshop) -> list[str]:
    return list(workshop.activities.order_by("position").values_list("title", flat=True))


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_builds_its_agenda(facilitator, challenge, template):
    workshop = actions.workshop_create(
        user=facilitator, challenge=challenge, title="T", template=template
    )
    specs = TEMPLATES[template].activities
    assert titles(workshop) == [spec.title for spec in specs]
    for activity, spec in zip(workshop.activities.order_by("position"), specs, strict=True):
        assert [c["label"] for c in activity.columns] == list(spec.columns)
        assert activity.private == spec.private and activity.identity == spec.identity


def test_an_unknown_template_is_refused(facilitator, challenge):
    with pytest.raises(InvalidInput):
        actions.workshop_create(user=facilitator, challenge=challenge, title="T", template="x")


def test_next_and_previous_walk_the_agenda_and_open_a_pending_activity(facilitator, simplificathon):
    w = simplificathon.pk
    with pytest.raises(WorkshopNotLive):
        actions.agenda_next(user=facilitator, workshop_id=w)
    actions.workshop_start(user=facilitator, workshop_id=w)
    first, second, _vote = simplificathon.activities.order_by("position")
    with pytest.raises(InvalidTransition):
        actions.agenda_previous(user=facilitator, workshop_id=w)

    actions.agenda_next(user=facilitator, workshop_id=w)
    simplificathon.refresh_from_db()
    second.refresh_from_db()
    assert simplificathon.current_activity_id == second.pk
    assert second.state == ActivityState.OPEN
    first.refresh_from_db()
    assert first.state == ActivityState.OPEN  # left open: a draft for it can still be sent
    actions.agenda_next(user=facilitator, workshop_id=w)
    with pytest.raises(InvalidTransition):
        actions.agenda_next(user=facilitator, workshop_id=w)
    actions.agenda_previous(user=facilitator, workshop_id=w)

    actions.agenda_previous(user=facilitator, workshop_id=w)
    simplificathon.refresh_from_db()
    assert simplificathon.current_activity_id == first.pk


def test_changing_activity_turns_the_spotlight_off(facilitator, simplificathon):
    w = simplificathon.pk
    actions.workshop_start(user=facilitator, workshop_id=w)
    simplificathon.refresh_from_db()
    activity = simplificathon.current_activity
    person = participation_actions.participant_join(
        workshop=simplificathon, device_token="d", profile="agent"
    )
    note = participation_actions.contribution_create(
        participant=person,
        activity_id=activity.pk,
        body="Idée",
        column=activity.columns[0]["key"],
    )
    moderation.contribution_spotlight(
        user=facilitator, workshop_id=w, contribution_id=note.result["contribution_id"]
    )
    actions.agenda_next(user=facilitator, workshop_id=w)
    simplificathon.refresh_from_db()
    assert simplificathon.spotlight_id is None


def test_the_agenda_is_edited_during_the_session_and_screens_are_told(facilitator, simplificathon):
    w = simplificathon.pk
    actions.workshop_start(user=facilitator, workshop_id=w)
    added = agenda.activity_add(
        user=facilitator, workshop_id=w, title="Bonus", columns=["A", "B"], reactions=True
    )
    new_id = added.result["activity_id"]
    assert titles(simplificathon) == ["Irritants", "Solutions", "Priorités", "Bonus"]
    agenda.activity_move(user=facilitator, workshop_id=w, activity_id=new_id, offset=-1)
    assert titles(simplificathon) == ["Irritants", "Solutions", "Bonus", "Priorités"]
    with pytest.raises(InvalidTransition):
        agenda.activity_move(
            user=facilitator,
            workshop_id=w,
            activity_id=simplificathon.activities.get(title="Irritants").pk,
            offset=-1,
        )
    agenda.activity_delete(user=facilitator, workshop_id=w, activity_id=new_id)
    assert titles(simplificathon) == ["Irritants", "Solutions", "Priorités"]
    types = list(
        WorkshopEvent.objects.filter(workshop=simplificathon)
        .order_by("seq")
        .values_list("type", flat=True)
    )
    # Added (1), swapped with its neighbour (2), removed (1).
    assert types[-4:] == ["activity.updated"] * 3 + ["activity.removed"]


def test_the_current_activity_or_one_with_notes_cannot_be_deleted(facilitator, simplificathon):
    w = simplificathon.pk
    actions.workshop_start(user=facilitator, workshop_id=w)
    simplificathon.refresh_from_db()
    current = simplificathon.current_activity
    with pytest.raises(InvalidTransition):
        agenda.activity_delete(user=facilitator, workshop_id=w, activity_id=current.pk)
    person = participation_actions.participant_join(
        workshop=simplificathon, device_token="d", profile="agent"
    )
    participation_actions.contribution_create(
        participant=person, activity_id=current.pk, body="Idée", column=current.columns[0]["key"]
    )
    actions.agenda_next(user=facilitator, workshop_id=w)
    with pytest.raises(InvalidTransition):
        agenda.activity_delete(user=facilitator, workshop_id=w, activity_id=current.pk)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["A"] * 2, "même nom"),
        ([str(n) for n in range(7)], "colonnes au plus"),
        (["x" * 41], "caractères"),
    ],
)
def test_bad_columns_are_refused_with_a_reason(labels, message):
    with pytest.raises(InvalidInput, match=message):
        clean_columns(labels, [])


def test_column_keys_follow_labels_through_renames_and_reorders():
    start = clean_columns(["Irritants", "Idées"], [])
    assert start == [{"key": "c1", "label": "Irritants"}, {"key": "c2", "label": "Idées"}]
    swapped = clean_columns(["Idées", "Irritants"], start)
    assert swapped == [{"key": "c2", "label": "Idées"}, {"key": "c1", "label": "Irritants"}]
    renamed = clean_columns(["Freins", "Idées", "Questions"], start)
    assert renamed == [
        {"key": "c1", "label": "Freins"},
        {"key": "c2", "label": "Idées"},
        {"key": "c3", "label": "Questions"},
    ]
