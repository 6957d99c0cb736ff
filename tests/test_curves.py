"""The emotion curve's arithmetic: mean, spread and counts per stage, and the split by
profile under the small-group rule. No database: rows in, figures out."""

from statistics import fmean, pstdev

from hypothesis import given
from hypothesis import strategies as st

from participation.curves import build_curve

STAGES = ["c1", "c2", "c3"]


def rows(*ratings: tuple[int, str, str, int]) -> list[tuple[int, str, str, int]]:
    return list(ratings)


def test_mean_spread_and_counts_per_stage():
    curve = build_curve(
        7,
        STAGES,
        rows(
            (1, "usager", "c1", -2),
            (2, "usager", "c1", 0),
            (3, "agent", "c1", 2),
            (1, "usager", "c2", 1),
        ),
    )
    first, second, third = curve.stages
    assert (first.n, first.mean, first.sd, first.counts) == (3, 0.0, 1.63, [1, 0, 1, 0, 1])
    assert (second.n, second.mean, second.sd, second.counts) == (1, 1.0, 0.0, [0, 0, 0, 1, 0])
    assert (third.n, third.mean, third.sd, third.counts) == (0, None, None, [0, 0, 0, 0, 0])
    assert curve.raters == 3  # people, not ratings
    assert curve.activity_id == 7


def test_a_stage_no_longer_on_the_map_is_left_out():
    curve = build_curve(1, ["c2"], rows((1, "usager", "c1", -2), (1, "usager", "c2", 2)))
    assert [s.stage for s in curve.stages] == ["c2"] and curve.stages[0].mean == 2.0


def test_profiles_of_five_or_more_get_their_curve_and_smaller_ones_read_fewer_than_five():
    ratings = [(n, "usager", "c1", -2) for n in range(5)]
    ratings += [(10 + n, "agent", "c1", 1) for n in range(6)]
    ratings += [(20, "elu", "c1", 2), (21, "partenaire", "c1", 2)]  # two small groups
    curve = build_curve(1, STAGES, ratings)
    usagers, agents = curve.by_profile["usager"], curve.by_profile["agent"]
    assert usagers.raters == 5 and usagers.stages[0].mean == -2.0
    assert agents.raters == 6 and agents.stages[0].mean == 1.0
    assert curve.by_profile["elu"] == curve.by_profile["partenaire"]
    assert curve.by_profile["elu"].raters == "<5" and curve.by_profile["elu"].stages is None


def test_one_small_group_alone_hides_the_next_smallest_too():
    """Complementary suppression: with the total known, 5 usagers and "<5" agents out of
    8 would give the agents' number away."""
    ratings = [(n, "usager", "c1", -1) for n in range(5)] + [(9, "agent", "c1", 2)]
    curve = build_curve(1, STAGES, ratings)
    assert curve.by_profile["agent"].raters == "<5"
    assert curve.by_profile["usager"].raters == "hidden"
    assert curve.by_profile["usager"].stages is None


def test_within_a_shown_profile_a_stage_rated_by_fewer_than_five_shows_no_figure():
    ratings = [(n, "usager", "c1", -1) for n in range(5)] + [(0, "usager", "c2", 2)]
    ratings += [(10 + n, "agent", "c1", 0) for n in range(5)]
    usagers = build_curve(1, STAGES, ratings).by_profile["usager"]
    c1, c2, c3 = usagers.stages
    assert c1.n == 5 and c1.mean == -1.0
    assert (c2.n, c2.mean, c2.sd, c2.counts) == ("<5", None, None, None)
    assert (c3.n, c3.mean) == (0, None)


rating = st.tuples(
    st.integers(1, 30),
    st.sampled_from(["usager", "agent", "elu"]),
    st.sampled_from(STAGES),
    st.integers(-2, 2),
)


@given(st.lists(rating, max_size=120, unique_by=lambda r: (r[0], r[2])))
def test_the_overall_figures_are_those_of_the_ratings(ratings):
    curve = build_curve(1, STAGES, ratings)
    for shown in curve.stages:
        values = [v for _p, _profile, s, v in ratings if s == shown.stage]
        assert shown.n == len(values) and sum(shown.counts) == len(values)
        if values:
            assert shown.mean == round(fmean(values), 2)
            assert shown.sd == round(pstdev(values), 2)
            assert 0 <= shown.sd <= 2  # half the scale's range at most
            assert shown.counts == [values.count(v) for v in (-2, -1, 0, 1, 2)]
    for part in curve.by_profile.values():
        if part.stages is None:
            continue
        for shown in part.stages:
            assert shown.n == "<5" or shown.n == 0 or shown.n >= 5
