"""The small-group rule on counts shown to a room."""

from participation.disclosure import protect_counts


def test_groups_under_five_read_less_than_five():
    assert protect_counts({"usager": 12, "agent": 7, "elu": 2, "partenaire": 1}) == {
        "usager": 12,
        "agent": 7,
        "elu": "<5",
        "partenaire": "<5",
    }


def test_a_lone_small_group_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    assert protect_counts({"agent": 5, "usager": 2, "elu": 9}) == {
        "agent": "hidden",
        "usager": "<5",
        "elu": 9,
    }


def test_nothing_is_hidden_when_every_group_is_large_enough():
    assert protect_counts({"agent": 5, "usager": 40}) == {"agent": 5, "usager": 40}


def test_a_single_group_is_the_room_itself():
    assert protect_counts({"usager": 3}) == {"usager": "<5"}
