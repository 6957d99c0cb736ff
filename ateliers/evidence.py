"""The evidence figures: what a workshop produced and who took part, computed from the
rows (participants, notes and cards, clusters, vote items, votes, ratings, stage
ratings, decisions), never from running counters, so a figure can always be checked
against what is stored.

`results_document(workshop)` is the results of one workshop as JSON-ready data, shaped
by `ateliers.evidence_serializers`: the evidence snapshot (ateliers.attach), the exports
and the REST API all use it. `challenge_evidence(challenge)` adds up a challenge's
workshops. Neither ever carries a participant's name or pseudonym: people appear only as
profiles, organisations and territories, counted under the small-group rule
(participation.disclosure). Definitions are in docs/decisions.md ("Evidence figures").

Each concern is one query over the whole workshop (or challenge), whatever its size.
"""

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean, pstdev
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone, translation

from ateliers.models import (
    Activity,
    ActivityKind,
    Challenge,
    Decision,
    DecisionStatus,
    Horizon,
    LaneKind,
    Method,
    Workshop,
    WorkshopMode,
)
from participation.curves import FeelingRow, build_curve
from participation.disclosure import SMALL_GROUP, protect_counts
from participation.models import (
    Cluster,
    Contribution,
    ContributionStatus,
    Participant,
    Profile,
    Rating,
    Reaction,
    StageFeeling,
    Vote,
    VoteItem,
)

SCHEMA = "cocon.results/1"
CHALLENGE_SCHEMA = "cocon.challenge-evidence/1"
# How many pain points the priority list keeps (the most voted first).
PRIORITY_PAIN_POINTS = 10

METHOD_OF_KIND = {
    ActivityKind.IDEATION: Method.IDEATION,
    ActivityKind.VOTE: Method.DOT_VOTING,
    ActivityKind.RATING: Method.RATING,
    ActivityKind.JOURNEY: Method.JOURNEY_MAP,
}


# Small helpers ---------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 in the deployment's time zone (Europe/Paris): what people read."""
    return timezone.localtime(value).isoformat() if value is not None else None


def rank(figures: list[dict[str, Any]], key: str = "points") -> None:
    """Competition ranking on an already sorted list: equal points, equal rank (1, 1, 3)."""
    for index, figure in enumerate(figures):
        same = index and figures[index - 1][key] == figure[key]
        figure["rank"] = figures[index - 1]["rank"] if same else index + 1


def duration_minutes(workshop: Workshop) -> int | None:
    """From opening to closing, to the nearest minute; None until it has closed."""
    if workshop.opened_at is None or workshop.closed_at is None:
        return None
    return round((workshop.closed_at - workshop.opened_at).total_seconds() / 60)


def group_key(name: str) -> str:
    """Organisations and territories typed by people: "Mairie de Lille " and "mairie de
    lille" are one group."""
    return " ".join(name.split()).casefold()


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.split()).casefold()


def is_pain_point_label(text: str) -> bool:
    """ "Irritant", "Irritants", "irritants du quotidien"… (accents and case ignored)."""
    return _folded(text).startswith("irritant")


def _profile_label(code: str) -> str:
    return str(Profile(code).label) if code in Profile.values else code


def _lane_kind_label(code: str) -> str:
    return str(LaneKind(code).label) if code in LaneKind.values else code


def lane_of(journey: Activity, key: str) -> dict[str, Any] | None:
    return next((lane for lane in journey.lanes if lane["key"] == key), None)


def texts_withheld(activity: Activity) -> bool:
    """A private journey map never revealed to the room: its cards are counted, their
    text (and its clusters) left out of the results."""
    return activity.kind == ActivityKind.JOURNEY and activity.is_hidden_from_phones


def profile_mix(counts: dict[str, int]) -> list[dict[str, Any]]:
    """People by profile, protected, in the order of the profile list; profiles with no
    one left out (an empty group identifies nobody)."""
    shown = protect_counts({p: counts.get(p, 0) for p in Profile.values})
    return [
        {"profile": p, "label": _profile_label(p), "count": shown[p]}
        for p in Profile.values
        if counts.get(p, 0)
    ]


def methods_out(codes: set[str]) -> list[dict[str, str]]:
    return [{"code": m.value, "label": str(m.label)} for m in Method if m.value in codes]


def workshop_methods(workshop: Workshop, used_kinds: set[str]) -> set[str]:
    """Methods of the activities that produced something, and those tagged by hand."""
    codes = {METHOD_OF_KIND[k].value for k in used_kinds if k in METHOD_OF_KIND}
    return codes | {m for m in (workshop.extra_methods or []) if m in Method.values}


def used_activities(workshop_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(activity id, kind) of the activities that produced at least one note or card,
    vote, rating or stage rating, per workshop (an agenda step nobody used is not a
    method the workshop used, nor a journey map it made)."""
    rows = (
        Activity.objects.filter(workshop_id__in=workshop_ids)
        .filter(
            Exists(Contribution.objects.filter(activity=OuterRef("pk")))
            | Exists(Vote.objects.filter(activity=OuterRef("pk")))
            | Exists(Rating.objects.filter(activity=OuterRef("pk")))
            | Exists(StageFeeling.objects.filter(activity=OuterRef("pk")))
        )
        .values_list("workshop_id", "pk", "kind")
        .order_by()
    )
    used: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for workshop_id, pk, kind in rows:
        used[workshop_id].append((pk, kind))
    return used


def used_kinds(workshop_ids: list[int]) -> dict[int, set[str]]:
    """Activity kinds that produced something, per workshop (`used_activities`)."""
    return defaultdict(
        set,
        {
            workshop_id: {kind for _pk, kind in activities}
            for workshop_id, activities in used_activities(workshop_ids).items()
        },
    )


# Participation ---------------------------------------------------------------------------


# The key under which groups too small to be named are counted together: group_key never
# returns a leading space, so no typed name can collide with it.
OTHERS = " others"


@dataclass
class NamedGroups:
    """People per organisation (or territory), grouped by `group_key`; the spelling shown
    is the one most people typed."""

    people: Counter = field(default_factory=Counter)  # key -> people ("" = not given)
    spellings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, name: str, n: int = 1) -> None:
        key = group_key(name)
        self.people[key] += n
        if key:
            self.spellings[key][" ".join(name.split())] += n

    def merge(self, other: "NamedGroups") -> None:
        self.people.update(other.people)
        for key, spellings in other.spellings.items():
            self.spellings[key].update(spellings)

    def name(self, key: str) -> str:
        return min(self.spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def to_json(self) -> dict[str, Any]:
        """Head counts per group and spelling, tied to no one: what an anonymised
        workshop keeps of its organisations and territories (`frozen_groups_of`)."""
        return {
            "people": dict(self.people),
            "spellings": {k: dict(v) for k, v in self.spellings.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "NamedGroups":
        groups = cls(people=Counter(data.get("people", {})))
        for key, spellings in data.get("spellings", {}).items():
            groups.spellings[key].update(spellings)
        return groups

    def out(self) -> dict[str, Any]:
        """Only groups of at least SMALL_GROUP people are named: "Mairie de X, 2 people"
        would point at the two agents of X who came. The smaller ones are counted
        together as "others" (how many groups, and their people, protected)."""
        counts = {k: n for k, n in self.people.items() if n}
        named = sorted(
            (k for k, n in counts.items() if k and n >= SMALL_GROUP),
            key=lambda k: (k, self.name(k)),
        )
        small = [k for k, n in counts.items() if k and n < SMALL_GROUP]
        shown = protect_counts(
            {
                **{k: counts[k] for k in named},
                OTHERS: sum(counts[k] for k in small),
                "": counts.get("", 0),
            }
        )
        return {
            "count": len(named) + len(small),
            "items": [{"name": self.name(k), "people": shown[k]} for k in named],
            "others": {"count": len(small), "people": shown[OTHERS]},
            "not_given": shown[""],
        }


@dataclass
class ParticipationRows:
    """Raw counts of one workshop's participants (or of several, added up): protected
    only when shown (`out`), so totals add rows, not protected figures."""

    joined: Counter = field(default_factory=Counter)  # profile -> people who joined
    active: Counter = field(default_factory=Counter)  # profile -> people who took part
    organisations: NamedGroups = field(default_factory=NamedGroups)
    territories: NamedGroups = field(default_factory=NamedGroups)

    def merge(self, other: "ParticipationRows") -> None:
        self.joined.update(other.joined)
        self.active.update(other.active)
        self.organisations.merge(other.organisations)
        self.territories.merge(other.territories)

    def out(self) -> dict[str, Any]:
        joined = protect_counts({p: self.joined.get(p, 0) for p in Profile.values})
        active = protect_counts({p: self.active.get(p, 0) for p in Profile.values})
        agents = self.joined.get(Profile.AGENT, 0) > 0
        users = self.joined.get(Profile.USER, 0) > 0
        return {
            "joined": sum(self.joined.values()),
            "active": sum(self.active.values()),
            "by_profile": [
                {
                    "profile": p,
                    "label": _profile_label(p),
                    "joined": joined[p],
                    "active": active[p],
                }
                for p in Profile.values
                # "Non renseigné" only where someone chose not to say (docs/privacy.md).
                if p != Profile.UNSPECIFIED or self.joined.get(p, 0)
            ],
            "organisations": self.organisations.out(),
            "territories": self.territories.out(),
            "agents_present": agents,
            "users_present": users,
            "both_present": agents and users,
        }


def active_participants(workshop_ids: list[int]) -> set[int]:
    """Participants who wrote a note or a card (even one hidden later), gave a +1, voted,
    rated, or said how a stage of a journey felt: one query (a union), whatever the
    workshop's size."""
    notes = Contribution.objects.filter(
        activity__workshop_id__in=workshop_ids, participant__isnull=False
    ).values_list("participant_id")
    # No ORDER BY inside a UNION (models' default orderings): SQLite refuses it.
    notes = notes.order_by()
    reactions = Reaction.objects.filter(
        contribution__activity__workshop_id__in=workshop_ids
    ).values_list("participant_id")
    votes = Vote.objects.filter(activity__workshop_id__in=workshop_ids).values_list(
        "participant_id"
    )
    ratings = Rating.objects.filter(activity__workshop_id__in=workshop_ids).values_list(
        "participant_id"
    )
    feelings = StageFeeling.objects.filter(activity__workshop_id__in=workshop_ids).values_list(
        "participant_id"
    )
    others = [query.order_by() for query in (reactions, votes, ratings, feelings)]
    return {pk for (pk,) in notes.union(*others)}


def participation_rows(workshop_ids: list[int]) -> dict[int, ParticipationRows]:
    """Per workshop: everyone who joined (a Participant row), and who among them took
    part (`active_participants`)."""
    active = active_participants(workshop_ids)
    rows: dict[int, ParticipationRows] = defaultdict(ParticipationRows)
    # An anonymised workshop's organisations and territories were cleared from its rows
    # and frozen on the workshop (participation.privacy): read from there.
    frozen = dict(
        Workshop.objects.filter(pk__in=workshop_ids, frozen_groups__isnull=False).values_list(
            "pk", "frozen_groups"
        )
    )
    for pk, workshop_id, profile, organisation, territory in Participant.objects.filter(
        workshop_id__in=workshop_ids
    ).values_list("pk", "workshop_id", "profile", "organisation", "territory"):
        figures = rows[workshop_id]
        figures.joined[profile] += 1
        if pk in active:
            figures.active[profile] += 1
        if workshop_id not in frozen:
            figures.organisations.add(organisation)
            figures.territories.add(territory)
    for workshop_id, groups in frozen.items():
        rows[workshop_id].organisations = NamedGroups.from_json(groups["organisations"])
        rows[workshop_id].territories = NamedGroups.from_json(groups["territories"])
    return rows


def frozen_groups_of(workshop_id: int) -> dict[str, Any]:
    """The workshop's organisation and territory head counts as its rows give them now,
    to be kept when the rows are anonymised."""
    figures = participation_rows([workshop_id])[workshop_id]
    return {
        "organisations": figures.organisations.to_json(),
        "territories": figures.territories.to_json(),
    }


# Workshop facts --------------------------------------------------------------------------


def workshop_facts(workshop: Workshop, methods: set[str]) -> dict[str, Any]:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "challenge": {"id": workshop.challenge_id, "title": workshop.challenge.title},
        "state": workshop.state,
        "starts_at": _iso(workshop.starts_at),
        "opened_at": _iso(workshop.opened_at),
        "closed_at": _iso(workshop.closed_at),
        "place": workshop.place,
        "mode": workshop.mode,
        "mode_label": str(WorkshopMode(workshop.mode).label)
        if workshop.mode in WorkshopMode.values
        else workshop.mode,
        "duration_minutes": duration_minutes(workshop),
        "methods": methods_out(methods),
    }


# Outputs ---------------------------------------------------------------------------------


@dataclass
class Note:
    pk: int
    activity_id: int
    participant_id: int | None
    profile: str | None
    body: str
    column: str
    cluster_id: int | None
    visible: bool
    reactions: int
    lane: str = ""  # journey cards: the row (stage is `column`)


@dataclass
class Item:
    pk: int
    activity_id: int
    label: str
    position: int
    contribution_id: int | None
    cluster_id: int | None
    withdrawn: bool  # its note was hidden: out of the vote


class Outputs:
    """Every row of a workshop's outputs, read once, and the figures made from them."""

    def __init__(self, workshop: Workshop, joined: Counter) -> None:
        self.workshop = workshop
        # A note's author profile is shown only for profiles of at least SMALL_GROUP
        # people in the workshop: otherwise the profile would point at the person.
        self.shown_profiles = {p for p, n in joined.items() if n >= SMALL_GROUP}
        self.activities = list(workshop.activities.order_by("position"))
        self.by_id = {a.pk: a for a in self.activities}
        self.notes = {
            row[0]: Note(*row[:7], row[7] == ContributionStatus.VISIBLE, row[8], row[9])
            for row in Contribution.objects.filter(activity__workshop=workshop)
            .order_by("created_at", "pk")
            .values_list(
                "pk",
                "activity_id",
                "participant_id",
                "participant__profile",
                "body",
                "column",
                "cluster_id",
                "status",
                "reaction_count",
                "lane",
            )
        }
        self.clusters = {
            c.pk: c
            for c in Cluster.objects.filter(activity__workshop=workshop).order_by(
                "activity_id", "position", "pk"
            )
        }
        self.items = {
            row[0]: Item(*row[:6], row[6] == ContributionStatus.HIDDEN)
            for row in VoteItem.objects.filter(activity__workshop=workshop)
            .order_by("activity_id", "position", "pk")
            .values_list(
                "pk",
                "activity_id",
                "label",
                "position",
                "contribution_id",
                "cluster_id",
                "contribution__status",
            )
        }
        # (item, participant) -> points, with the voter's profile.
        self.dots: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        for item_id, participant_id, profile, n in (
            Vote.objects.filter(activity__workshop=workshop)
            .values_list("item_id", "participant_id", "participant__profile")
            .annotate(n=Count("id"))
            .order_by()
        ):
            self.dots[item_id].append((participant_id, profile, n))
        self.ratings: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for item_id, participant_id, x, y in Rating.objects.filter(
            activity__workshop=workshop
        ).values_list("item_id", "participant_id", "x", "y"):
            self.ratings[item_id].append((participant_id, x, y))
        # Journey maps' stage ratings, per map, as the curve arithmetic takes them.
        self.feelings: dict[int, list[FeelingRow]] = defaultdict(list)
        for activity_id, *row in StageFeeling.objects.filter(
            activity__workshop=workshop
        ).values_list("activity_id", "participant_id", "participant__profile", "stage", "value"):
            self.feelings[activity_id].append(tuple(row))  # type: ignore[arg-type]
        self.ranked: dict[int, dict[str, Any]] = {}  # item id -> its ranked figures

    # Boards ---------------------------------------------------------------------------

    def column_label(self, note: Note) -> str | None:
        activity = self.by_id[note.activity_id]
        return next((c["label"] for c in activity.columns if c["key"] == note.column), None)

    def _author_mix(self, notes: list[Note]) -> list[dict[str, Any]]:
        authors = {n.participant_id: n.profile for n in notes if n.participant_id is not None}
        return profile_mix(Counter(authors.values()))

    def note_out(self, note: Note) -> dict[str, Any]:
        cluster = self.clusters.get(note.cluster_id) if note.cluster_id else None
        profile = note.profile if note.profile in self.shown_profiles else None
        return {
            "id": note.pk,
            "text": note.body,
            "column": self.column_label(note),
            "cluster_id": cluster.pk if cluster else None,
            "cluster": cluster.title if cluster else None,
            "reactions": note.reactions,
            "author_profile": profile,
            "author_profile_label": _profile_label(profile) if profile else None,
        }

    def board_out(self, activity: Activity) -> dict[str, Any]:
        notes = [n for n in self.notes.values() if n.activity_id == activity.pk]
        visible = [n for n in notes if n.visible]
        clusters = [c for c in self.clusters.values() if c.activity_id == activity.pk]
        return {
            "activity_id": activity.pk,
            "position": activity.position,
            "title": activity.title,
            "prompt": activity.prompt,
            "private": activity.private,
            "revealed": not activity.is_hidden_from_phones,
            "notes_count": len(visible),
            "hidden_notes_count": len(notes) - len(visible),
            "authors": self._author_mix(visible),
            "columns": [
                {
                    "key": column["key"],
                    "label": column["label"],
                    "notes_count": sum(1 for n in visible if n.column == column["key"]),
                }
                for column in activity.columns
            ],
            "clusters": [self.cluster_out(c, visible) for c in clusters],
            "notes": [self.note_out(n) for n in visible],
        }

    def cluster_out(self, cluster: Cluster, visible: list[Note]) -> dict[str, Any]:
        members = [n for n in visible if n.cluster_id == cluster.pk]
        return {
            "id": cluster.pk,
            "title": cluster.title,
            "notes_count": len(members),
            "authors": self._author_mix(members),
        }

    # Votes and ratings ------------------------------------------------------------------

    def _live_items(self, activity: Activity) -> list[Item]:
        return [i for i in self.items.values() if i.activity_id == activity.pk and not i.withdrawn]

    def vote_out(self, activity: Activity) -> dict[str, Any]:
        items = self._live_items(activity)
        all_dots = [
            d for i in self.items.values() if i.activity_id == activity.pk for d in self.dots[i.pk]
        ]
        voters = {pid: profile for pid, profile, _n in all_dots}
        figures = []
        for item in items:
            dots = self.dots[item.pk]
            by_profile_voters = Counter(profile for _pid, profile, _n in dots)
            points_by_profile: Counter = Counter()
            for _pid, profile, n in dots:
                points_by_profile[profile] += n
            voters_mix = profile_mix(by_profile_voters)
            figures.append(
                {
                    "id": item.pk,
                    "label": item.label,
                    "position": item.position,
                    "points": sum(n for _pid, _p, n in dots),
                    "voters": len(dots),
                    "voters_by_profile": voters_mix,
                    # A profile's points are shown only where its voters are shown exactly.
                    "points_by_profile": [
                        {
                            **entry,
                            "count": points_by_profile[entry["profile"]]
                            if isinstance(entry["count"], int)
                            else entry["count"],
                        }
                        for entry in voters_mix
                    ],
                    "source_note_id": item.contribution_id,
                    "source_cluster_id": item.cluster_id,
                    "pain_point": self.is_pain_point(item),
                }
            )
        figures.sort(key=lambda f: (-f["points"], f["position"], f["id"]))
        rank(figures)
        for figure in figures:
            self.ranked[figure["id"]] = {**figure, "vote_title": activity.title}
        return {
            "activity_id": activity.pk,
            "position": activity.position,
            "title": activity.title,
            "source": self._source(activity),
            "state": activity.state,
            "results_hidden": activity.results_hidden,
            "target": activity.vote_target,
            "votes_per_person": activity.votes_per_person,
            "max_per_item": activity.max_per_item,
            "voters": len(voters),
            "voters_by_profile": profile_mix(Counter(voters.values())),
            "points": sum(n for _pid, _p, n in all_dots),
            "withdrawn_items": sum(
                1 for i in self.items.values() if i.activity_id == activity.pk and i.withdrawn
            ),
            "items": figures,
        }

    def _source(self, activity: Activity) -> dict[str, Any] | None:
        source = self.by_id.get(activity.source_id) if activity.source_id else None
        return {"activity_id": source.pk, "title": source.title} if source else None

    def rating_out(self, activity: Activity) -> dict[str, Any]:
        items = []
        raters: set[int] = set()
        for item in self._live_items(activity):
            points = self.ratings[item.pk]
            raters.update(pid for pid, _x, _y in points)
            xs, ys = [x for _p, x, _y in points], [y for _p, _x, y in points]
            items.append(
                {
                    "id": item.pk,
                    "label": item.label,
                    "position": item.position,
                    "n": len(points),
                    "x_mean": round(fmean(xs), 2) if points else None,
                    "y_mean": round(fmean(ys), 2) if points else None,
                    "x_sd": round(pstdev(xs), 2) if points else None,
                    "y_sd": round(pstdev(ys), 2) if points else None,
                    "source_note_id": item.contribution_id,
                    "source_cluster_id": item.cluster_id,
                }
            )
        return {
            "activity_id": activity.pk,
            "position": activity.position,
            "title": activity.title,
            "source": self._source(activity),
            "state": activity.state,
            "results_hidden": activity.results_hidden,
            "axis_x": activity.axis_x,
            "axis_y": activity.axis_y,
            "raters": len(raters),
            "items": items,
        }

    # Pain points ------------------------------------------------------------------------

    def _note_is_pain_point(self, note: Note) -> bool:
        """A journey's card: in a pain-point lane. A board with an "Irritants" column: the
        note's column says. A board without one whose title is "Irritants…" (the
        Simplificathon's themed board): all its notes."""
        board = self.by_id[note.activity_id]
        if board.kind == ActivityKind.JOURNEY:
            lane = lane_of(board, note.lane)
            return lane is not None and lane.get("kind") == LaneKind.PAIN_POINTS
        if any(is_pain_point_label(c["label"]) for c in board.columns):
            label = self.column_label(note)
            return label is not None and is_pain_point_label(label)
        return is_pain_point_label(board.title)

    def is_pain_point(self, item: Item) -> bool:
        if item.contribution_id is not None:
            note = self.notes.get(item.contribution_id)
            return note is not None and self._note_is_pain_point(note)
        if item.cluster_id is not None:
            members = [
                n for n in self.notes.values() if n.cluster_id == item.cluster_id and n.visible
            ]
            return bool(members) and all(self._note_is_pain_point(n) for n in members)
        return False

    def priority_pain_points(self) -> list[dict[str, Any]]:
        """Pain points that got points in a vote, the most voted first."""
        chosen = sorted(
            (f for f in self.ranked.values() if f["pain_point"] and f["points"] > 0),
            key=lambda f: (-f["points"], self.items[f["id"]].activity_id, f["position"], f["id"]),
        )[:PRIORITY_PAIN_POINTS]
        pain_points = [
            {
                "item_id": f["id"],
                "vote_activity_id": self.items[f["id"]].activity_id,
                "vote_title": f["vote_title"],
                "label": f["label"],
                "points": f["points"],
                "voters": f["voters"],
                "voters_by_profile": f["voters_by_profile"],
            }
            for f in chosen
        ]
        rank(pain_points)
        return pain_points

    # Journey maps -----------------------------------------------------------------------

    def card_out(self, note: Note) -> dict[str, Any]:
        """A card of a map: a note placed in a cell (stage × lane)."""
        return {**self.note_out(note), "stage": note.column, "lane": note.lane}

    def irritants_out(self, journey: Activity) -> list[dict[str, Any]]:
        """The ranked items of the dot votes on the map's irritants (their `vote_out`
        ranking: call it first), those that got points, each vote in agenda order."""
        irritants = []
        for vote in self.activities:
            if vote.kind != ActivityKind.VOTE or vote.source_id != journey.pk:
                continue
            for figures in self.ranked.values():  # in the vote's ranking order
                item = self.items[figures["id"]]
                if item.activity_id != vote.pk or figures["points"] == 0:
                    continue
                card = self.notes.get(item.contribution_id) if item.contribution_id else None
                irritants.append(
                    {
                        "rank": figures["rank"],
                        "item_id": item.pk,
                        "vote_activity_id": vote.pk,
                        "vote_title": vote.title,
                        "label": figures["label"],
                        "points": figures["points"],
                        "voters": figures["voters"],
                        "voters_by_profile": figures["voters_by_profile"],
                        "card_id": card.pk if card else None,
                        "stage": card.column if card else None,
                        "lane": card.lane if card else None,
                    }
                )
        return irritants

    def journey_out(self, activity: Activity) -> dict[str, Any]:
        """A journey map: its frame, its cards cell by cell, its emotion curve (computed
        by participation.curves, as on the big screen) and its priority irritants. A
        private map never revealed to the room gives counts, never its text."""
        cards = [n for n in self.notes.values() if n.activity_id == activity.pk]
        visible = [n for n in cards if n.visible]
        withheld = texts_withheld(activity)
        by_cell: dict[tuple[str, str], list[Note]] = defaultdict(list)
        for note in visible:
            by_cell[note.column, note.lane].append(note)
        stages = activity.columns
        labels = {column["key"]: column["label"] for column in stages}
        curve = build_curve(
            activity.pk, [column["key"] for column in stages], self.feelings[activity.pk]
        ).model_dump(mode="json")

        def stage_curves(entries: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
            if entries is None:
                return None
            return [{**entry, "label": labels.get(entry["stage"], "")} for entry in entries]

        by_profile = curve["by_profile"] or {}
        clusters = [c for c in self.clusters.values() if c.activity_id == activity.pk]
        return {
            "activity_id": activity.pk,
            "position": activity.position,
            "title": activity.title,
            "prompt": activity.prompt,
            "state": activity.state,
            "persona": activity.persona,
            "scenario": activity.scenario,
            "horizon": activity.horizon,
            "horizon_label": str(Horizon(activity.horizon).label)
            if activity.horizon in Horizon.values
            else activity.horizon,
            "pair_id": activity.pair_id,
            "pair_title": self.by_id[activity.pair_id].title
            if activity.pair_id in self.by_id
            else None,
            "private": activity.private,
            "revealed": not activity.is_hidden_from_phones,
            "texts_withheld": withheld,
            "cards_count": len(visible),
            "hidden_cards_count": len(cards) - len(visible),
            "authors": self._author_mix(visible),
            "stages": [
                {
                    "key": column["key"],
                    "label": column["label"],
                    "cards_count": sum(1 for n in visible if n.column == column["key"]),
                }
                for column in stages
            ],
            "lanes": [
                {
                    "key": lane["key"],
                    "label": lane["label"],
                    "kind": lane.get("kind", LaneKind.OTHER),
                    "kind_label": _lane_kind_label(lane.get("kind", "")),
                    "enabled": lane.get("enabled", True),
                    "cards_count": sum(1 for n in visible if n.lane == lane["key"]),
                }
                for lane in activity.lanes
            ],
            "cells": [
                {
                    "stage": column["key"],
                    "lane": lane["key"],
                    "cards_count": len(by_cell[column["key"], lane["key"]]),
                    "cards": []
                    if withheld
                    else [self.card_out(n) for n in by_cell[column["key"], lane["key"]]],
                }
                for lane in activity.lanes
                for column in stages
            ],
            "clusters": [] if withheld else [self.cluster_out(c, visible) for c in clusters],
            "curve": {
                "raters": curve["raters"],
                "stages": stage_curves(curve["stages"]),
                "by_profile": [
                    {
                        "profile": profile,
                        "label": _profile_label(profile),
                        "raters": by_profile[profile]["raters"],
                        "stages": stage_curves(by_profile[profile]["stages"]),
                    }
                    for profile in Profile.values
                    if profile in by_profile
                ],
            },
            "priority_irritants": self.irritants_out(activity),
        }

    def outputs_out(self) -> dict[str, Any]:
        boards = [self.board_out(a) for a in self.activities if a.kind == ActivityKind.IDEATION]
        votes = [self.vote_out(a) for a in self.activities if a.kind == ActivityKind.VOTE]
        ratings = [self.rating_out(a) for a in self.activities if a.kind == ActivityKind.RATING]
        # After the votes: a map's priority irritants are their ranked items.
        journeys = [self.journey_out(a) for a in self.activities if a.kind == ActivityKind.JOURNEY]
        return {
            "totals": {
                "notes": sum(b["notes_count"] for b in boards),
                "hidden_notes": sum(b["hidden_notes_count"] for b in boards),
                "clusters": sum(len(b["clusters"]) for b in boards),
                "points": sum(v["points"] for v in votes),
                "ratings": sum(len(self.ratings[i]) for i in self.items),
                # Maps that produced something (a card or a stage rating), as a
                # challenge counts them.
                "journeys": sum(
                    1
                    for j in journeys
                    if j["cards_count"] or j["hidden_cards_count"] or j["curve"]["raters"]
                ),
                "cards": sum(j["cards_count"] for j in journeys),
                "hidden_cards": sum(j["hidden_cards_count"] for j in journeys),
                "stage_ratings": sum(len(rows) for rows in self.feelings.values()),
            },
            "boards": boards,
            "votes": votes,
            "ratings": ratings,
            "journeys": journeys,
            "priority_pain_points": self.priority_pain_points(),
        }

    def single_journey_out(self, journey: Activity) -> dict[str, Any]:
        """One map's entry alone, as `outputs_out` makes it (its irritant votes ranked
        first)."""
        for vote in self.activities:
            if vote.kind == ActivityKind.VOTE and vote.source_id == journey.pk:
                self.vote_out(vote)
        return self.journey_out(journey)

    # Decisions and their trace ----------------------------------------------------------

    def note_ref(self, note_id: int | None) -> dict[str, Any] | None:
        note = self.notes.get(note_id) if note_id else None
        if note is None:
            return None
        board = self.by_id[note.activity_id]
        lane = lane_of(board, note.lane) if board.kind == ActivityKind.JOURNEY else None
        shown = note.visible and not texts_withheld(board)
        return {
            "id": note.pk,
            # Never a hidden note's text, nor a card of a private map never revealed.
            "text": note.body if shown else None,
            "hidden": not note.visible,
            "column": self.column_label(note),
            "lane": lane["label"] if lane else None,
            "board": board.title,
            "board_id": board.pk,
            "board_kind": board.kind,
        }

    def cluster_ref(self, cluster_id: int | None) -> dict[str, Any] | None:
        cluster = self.clusters.get(cluster_id) if cluster_id else None
        if cluster is None:
            return None
        board = self.by_id[cluster.activity_id]
        return {
            "id": cluster.pk,
            "title": cluster.title,
            "board": board.title,
            "board_id": cluster.activity_id,
            "board_kind": board.kind,
            "notes": []
            if texts_withheld(board)
            else [
                {"id": n.pk, "text": n.body}
                for n in self.notes.values()
                if n.cluster_id == cluster.pk and n.visible
            ],
        }

    def item_ref(self, item: Item) -> dict[str, Any]:
        figures = self.ranked.get(item.pk)
        return {
            "id": item.pk,
            "label": None if item.withdrawn else item.label,
            "withdrawn": item.withdrawn,
            "vote": self.by_id[item.activity_id].title,
            "vote_id": item.activity_id,
            "kind": self.by_id[item.activity_id].kind,
            "points": figures["points"] if figures else None,
            "rank": figures["rank"] if figures else None,
            "voters": figures["voters"] if figures else None,
        }

    def trace(self, kind: str, target_id: int) -> dict[str, Any]:
        """From a participant's note, through the cluster it was put in, to the vote
        items that put either to the room: whichever the decision is about."""
        note_id = cluster_id = None
        if kind == "vote_item":
            item = self.items[target_id]
            items = [item]
            note_id, cluster_id = item.contribution_id, item.cluster_id
            if note_id and cluster_id is None and note_id in self.notes:
                cluster_id = self.notes[note_id].cluster_id
        elif kind == "cluster":
            cluster_id = target_id
            items = [i for i in self.items.values() if i.cluster_id == cluster_id]
        else:
            note_id = target_id
            cluster_id = self.notes[note_id].cluster_id if note_id in self.notes else None
            items = [
                i
                for i in self.items.values()
                if i.contribution_id == note_id or (cluster_id and i.cluster_id == cluster_id)
            ]
        return {
            "note": self.note_ref(note_id),
            "cluster": self.cluster_ref(cluster_id),
            "vote_items": [self.item_ref(i) for i in items],
        }

    def decisions_out(self) -> list[dict[str, Any]]:
        decisions = []
        for d in Decision.objects.filter(workshop=self.workshop).order_by("pk"):
            kind, target_id = decision_target(d)
            decisions.append(
                {
                    "id": d.pk,
                    "target": {"kind": kind, "id": target_id},
                    "status": d.status,
                    "status_label": str(DecisionStatus(d.status).label),
                    "reason": d.reason,
                    "destination": d.destination,
                    "decided_at": _iso(d.decided_at),
                    "trace": self.trace(kind, target_id),
                }
            )
        return decisions


def decision_target(decision: Decision) -> tuple[str, int]:
    if decision.contribution_id is not None:
        return "contribution", decision.contribution_id
    if decision.cluster_id is not None:
        return "cluster", decision.cluster_id
    return "vote_item", decision.vote_item_id  # type: ignore[return-value]


# Documents -------------------------------------------------------------------------------


def _json_ready(data: Any) -> Any:
    """Plain dicts, lists, strings and numbers (no ReturnDict, no lazy strings)."""
    return json.loads(json.dumps(data))


def results_data(workshop: Workshop) -> dict[str, Any]:
    """The raw results (before the serializer shapes them)."""
    with translation.override("fr"):
        participation = participation_rows([workshop.pk])[workshop.pk]
        outputs = Outputs(workshop, participation.joined)
        methods = workshop_methods(workshop, used_kinds([workshop.pk])[workshop.pk])
        return {
            "schema": SCHEMA,
            "workshop": workshop_facts(workshop, methods),
            "participation": participation.out(),
            "outputs": outputs.outputs_out(),
            "decisions": outputs.decisions_out(),
        }


def results_document(workshop: Workshop) -> dict[str, Any]:
    """The results of one workshop, JSON-ready (see the module docstring)."""
    from ateliers.evidence_serializers import WorkshopResultsSerializer

    return _json_ready(WorkshopResultsSerializer(results_data(workshop)).data)


def journey_document(journey: Activity) -> dict[str, Any]:
    """One journey map's entry of `results_document` (outputs.journeys), made by the same
    code and serializer: the map's own JSON export."""
    from ateliers.evidence_serializers import JourneySerializer

    workshop = journey.workshop
    with translation.override("fr"):
        joined = participation_rows([workshop.pk])[workshop.pk].joined
        data = Outputs(workshop, joined).single_journey_out(journey)
    return _json_ready(JourneySerializer(data).data)


def _challenge_workshops(challenge: Challenge) -> "QuerySet[Workshop]":
    return challenge.workshops.select_related("challenge").order_by(
        "starts_at", "opened_at", "created_at", "pk"
    )


def challenge_data(challenge: Challenge) -> dict[str, Any]:
    """Per workshop summaries and totals. People are counted per workshop joined (a
    person who came to two workshops counts twice: participants have no identity across
    workshops), added up from rows and protected once, at the end."""
    with translation.override("fr"):
        workshops = list(_challenge_workshops(challenge))
        ids = [w.pk for w in workshops]
        rows = participation_rows(ids)
        used = used_activities(ids)
        # Notes of boards and cards of journey maps, by status.
        notes: dict[int, Counter] = defaultdict(Counter)
        cards: dict[int, Counter] = defaultdict(Counter)
        for workshop_id, kind, status, n in (
            Contribution.objects.filter(activity__workshop_id__in=ids)
            .values_list("activity__workshop_id", "activity__kind", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            (cards if kind == ActivityKind.JOURNEY else notes)[workshop_id][status] += n
        votes = {
            workshop_id: (points, voters)
            for workshop_id, points, voters in Vote.objects.filter(activity__workshop_id__in=ids)
            .values_list("activity__workshop_id")
            .annotate(points=Count("id"), voters=Count("participant", distinct=True))
            .values_list("activity__workshop_id", "points", "voters")
            .order_by()
        }
        decided: dict[int, Counter] = defaultdict(Counter)
        for workshop_id, status, n in (
            Decision.objects.filter(workshop_id__in=ids)
            .values_list("workshop_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            decided[workshop_id][status] += n

        total = ParticipationRows()
        all_methods: set[str] = set()
        summaries = []
        for workshop in workshops:
            figures = rows.get(workshop.pk, ParticipationRows())
            total.merge(figures)
            activities = used.get(workshop.pk, [])
            methods = workshop_methods(workshop, {kind for _pk, kind in activities})
            all_methods |= methods
            points, voters = votes.get(workshop.pk, (0, 0))
            summaries.append(
                {
                    **workshop_facts(workshop, methods),
                    "participation": figures.out(),
                    "notes": notes[workshop.pk][ContributionStatus.VISIBLE],
                    "hidden_notes": notes[workshop.pk][ContributionStatus.HIDDEN],
                    "journeys": sum(1 for _pk, kind in activities if kind == ActivityKind.JOURNEY),
                    "cards": cards[workshop.pk][ContributionStatus.VISIBLE],
                    "hidden_cards": cards[workshop.pk][ContributionStatus.HIDDEN],
                    "points": points,
                    "voters": voters,
                    "decisions": decisions_by_status(decided[workshop.pk]),
                }
            )
        minutes = [s["duration_minutes"] for s in summaries if s["duration_minutes"] is not None]
        all_decided: Counter = Counter()
        for counts in decided.values():
            all_decided.update(counts)
        return {
            "schema": CHALLENGE_SCHEMA,
            "challenge": {"id": challenge.pk, "title": challenge.title},
            "workshops": summaries,
            "totals": {
                "workshops": len(workshops),
                "duration_minutes": sum(minutes),
                "methods": methods_out(all_methods),
                "participation": total.out(),
                "notes": sum(s["notes"] for s in summaries),
                "hidden_notes": sum(s["hidden_notes"] for s in summaries),
                "journeys": sum(s["journeys"] for s in summaries),
                "cards": sum(s["cards"] for s in summaries),
                "hidden_cards": sum(s["hidden_cards"] for s in summaries),
                "points": sum(s["points"] for s in summaries),
                "decisions": decisions_by_status(all_decided),
            },
        }


def decisions_by_status(counts: Counter) -> list[dict[str, Any]]:
    return [
        {"status": s.value, "label": str(s.label), "count": counts.get(s.value, 0)}
        for s in DecisionStatus
    ]


def challenge_evidence(challenge: Challenge) -> dict[str, Any]:
    """A challenge's workshops, each summarised, and their totals, JSON-ready."""
    from ateliers.evidence_serializers import ChallengeEvidenceSerializer

    return _json_ready(ChallengeEvidenceSerializer(challenge_data(challenge)).data)
