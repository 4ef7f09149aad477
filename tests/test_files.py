"""File names: readable ASCII, cut between words, never mid-word."""

import pytest

from toolkit.files import slug, unique_slugs


@pytest.mark.parametrize(
    "text,max_len,expected",
    [
        ("Center for Tale & Hjerneskade, Aalborg", 40, "center_for_tale_hjerneskade_aalborg"),
        ("Frederikshavn Kommune", 20, "frederikshavn"),
        ("Frederikshavn Kommune", 25, "frederikshavn_kommune"),
        ("Ungeenheden for Komplekse Spiseforstyrrelser", 30, "ungeenheden_for_komplekse"),
        ("Læsø Kommune", 40, "laesoe_kommune"),
        ("Børne- og Ungecenter Ålborg", 14, "boerne_og"),
        ("Overordentligtlangtordudenmellemrum", 10, "overordent"),  # one word longer than the limit
        ("", 40, "uden_navn"),
        ("!!!", 40, "uden_navn"),
    ],
)
def test_slug_is_cut_between_words(text, max_len, expected):
    assert slug(text, max_len) == expected


def test_slug_never_ends_in_a_cut_word():
    name = "Ungeenheden for Komplekse Spiseforstyrrelser"
    words = set(slug(name, 200).split("_"))
    for n in range(11, 60):
        assert set(slug(name, n).split("_")) <= words, n


def test_unique_slugs_add_the_id_only_where_names_collide():
    assert unique_slugs([("a", "T1"), ("b", "T2"), ("a", "T3")]) == ["a_t1", "b", "a_t3"]
