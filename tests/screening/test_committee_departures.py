"""The committee's one rule of departure from the ranking, on a ranking worked out by hand.

mean_z: 101 1.5 · 102 0.1+0.2 (= 0.30000000000000004) · 103 0.3 · 104 0.3 · 105 −0.2 · 106 −0.7.
With 3 places, 101 is within the quota, 102–104 are tied at rank 2 across it (they fill places
2–4: the chair chooses two of them, with a reason), and 105 and 106 are outside it.

``committee_decide`` refuses a decision that leaves any of these without a reason
(tests/screening/test_committee_decision.py), and the exports mark them
(tests/screening/test_committee_exports.py).
"""

from __future__ import annotations

import pandas as pd

from screening.analytics import ranking
from screening.committee import departures_from_ranking
from screening.selectors import items_ranking

SUMMARY = pd.DataFrame(
    {
        "application_id": [101, 102, 103, 104, 105, 106],
        "mean_z": [1.5, 0.1 + 0.2, 0.3, 0.3, -0.2, -0.7],
    }
)


def departures(selected, quota=3):
    table = items_ranking(ranking(SUMMARY, quota=quota))
    return departures_from_ranking(table, set(selected), quota)


def test_departures_following_the_ranking_are_none():
    assert departures([101, 102, 103, 104], quota=4) == []


def test_departures_choosing_within_a_tie_at_the_quota_names_each_chosen():
    # the places are full, so the tied 104 left out needs no reason of its own
    assert departures([101, 102, 103]) == [102, 103]


def test_departures_skipping_higher_ranked_names_the_chosen_from_outside():
    # 105 (rank 5) over 103 and 104 (rank 2); 102 is a choice within the tie
    assert departures([101, 102, 105]) == [102, 105]


def test_departures_dropping_an_item_within_the_quota_names_it():
    assert departures([102, 103, 104]) == [101, 102, 103, 104]


def test_departures_leaving_places_empty_names_the_dropped_and_the_tied():
    assert departures([]) == [101, 102, 103, 104]


def test_departures_leaving_a_place_empty_while_tied_wait_names_the_tied_left_out():
    assert departures([101, 102]) == [102, 103, 104]


def test_departures_from_outside_with_no_tie_name_the_chosen_and_the_dropped():
    # quota 1: 101 alone is within it; choosing 105 instead departs on both
    assert departures([105], quota=1) == [101, 105]


def test_departures_leaving_outside_items_out_is_no_departure():
    assert departures([101], quota=1) == []


def test_departures_tie_at_first_place_with_one_place_needs_a_reason_for_the_choice():
    summary = pd.DataFrame({"application_id": [1, 2, 3], "mean_z": [0.5, 0.5, -1.0]})
    table = items_ranking(ranking(summary, quota=1))

    assert departures_from_ranking(table, {2}, 1) == [2]
    assert departures_from_ranking(table, set(), 1) == [1, 2]


def test_departures_follow_rank_order_whatever_the_selection_order():
    table = items_ranking(ranking(SUMMARY, quota=3))

    assert departures_from_ranking(table, {105, 102, 101}, 3) == [102, 105]
