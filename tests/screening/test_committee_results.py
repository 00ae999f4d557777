"""panel_results on a small committee, checked against figures worked out by hand.

Rubric: impact (weight 3), feasibility (weight 1), scale 1–5, so a reviewer's weighted total
is (3·impact + feasibility) / 4. Two reviewers score all three items (K = 2, pool of two):

    item   reviewer1 (impact, feas.) → total     reviewer2 (impact, feas.) → total
    A      (5, 4) → 19/4 = 4.75                  (4, 4) → 16/4 = 4.00
    B      (3, 5) → 14/4 = 3.50                  (4, 4) → 16/4 = 4.00
    C      (1, 1) →  4/4 = 1.00                  (4, 2) → 14/4 = 3.50

Raw weighted means: A (4.75 + 4)/2 = 4.375, B (3.5 + 4)/2 = 3.75, C (1 + 3.5)/2 = 2.25.
Spread (population σ of the two totals = half their difference): A 0.375, B 0.25, C 1.25;
C's range 2.5 ≥ 2 scale points, so C is flagged as a disagreement.

z-scores per reviewer (ddof=0):
    reviewer1: μ = 9.25/3, deviations (5/3, 5/12, −25/12) = (4, 1, −5)·5/12,
               σ = (5/12)·√((16 + 1 + 25)/3) = (5/12)·√14, so z = (4, 1, −5)/√14
               = (1.069045, 0.267261, −1.336306)
    reviewer2: μ = 11.5/3, deviations (1, 1, −2)/6, σ = (1/6)·√2, so z = (1, 1, −2)/√2
               = (0.707107, 0.707107, −1.414214)
Mean z: A (4/√14 + 1/√2)/2 = 0.888076, B (1/√14 + 1/√2)/2 = 0.487184,
        C (−5/√14 − 2/√2)/2 = −1.375260.

Agreement (one pair of reviewers per item): impact |5−4|, |3−4|, |1−4| = 1, 1, 3 → mean 5/3,
max 3, same score 0 of 3; feasibility |4−4|, |5−4|, |1−2| = 0, 1, 1 → mean 2/3, max 1,
same score 1 of 3.
"""

from __future__ import annotations

import pytest

from screening import committee
from screening.selectors import panel_results

from .helpers import register, score, subjects

pytestmark = pytest.mark.django_db

SCORES = {  # item index → (reviewer1's, reviewer2's) (impact, feasibility)
    0: ((5, 4), (4, 4)),
    1: ((3, 5), (4, 4)),
    2: ((1, 1), (4, 2)),
}


@pytest.fixture
def scored(subsidy_round, companies, people, reviewers, make_panel):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)
    items = register(panel, subjects(subsidy_round, companies, people, 3))
    for index, item in enumerate(items):
        committee.reviewers_assign(item_id=item.pk)
        for reviewer, (impact, feasibility) in zip(reviewers[:2], SCORES[index], strict=True):
            score(item.assignments.get(reviewer=reviewer), impact, feasibility)
    return panel, items


def rows_by_item(frame, key="item_id"):
    return {row[key]: row for row in frame.to_dict("records")}


def test_panel_results_ranked_table_matches_hand_computation(scored):
    panel, (a, b, c) = scored

    table = panel_results(panel).table

    assert list(table["item_id"]) == [a.pk, b.pk, c.pk]
    rows = rows_by_item(table)
    assert rows[a.pk]["mean_raw"] == pytest.approx(4.375)
    assert rows[b.pk]["mean_raw"] == pytest.approx(3.75)
    assert rows[c.pk]["mean_raw"] == pytest.approx(2.25)
    assert rows[a.pk]["mean_z"] == pytest.approx(0.888076, abs=1e-6)
    assert rows[b.pk]["mean_z"] == pytest.approx(0.487184, abs=1e-6)
    assert rows[c.pk]["mean_z"] == pytest.approx(-1.375260, abs=1e-6)
    assert [rows[i.pk]["std_raw"] for i in (a, b, c)] == pytest.approx([0.375, 0.25, 1.25])
    assert [rows[i.pk]["disagreement"] for i in (a, b, c)] == [False, False, True]
    assert [rows[i.pk]["rank"] for i in (a, b, c)] == [1, 2, 3]
    assert [rows[i.pk]["within_quota"] for i in (a, b, c)] == [True, False, False]
    assert not table["tied_at_quota"].any()
    assert rows[a.pk]["label"] == a.label


def test_panel_results_reviewer_totals_raw_and_z(scored, reviewers):
    panel, (a, b, c) = scored

    totals = panel_results(panel).reviewer_totals

    first = totals[totals["reviewer_id"] == reviewers[0].pk].set_index("item_id")
    second = totals[totals["reviewer_id"] == reviewers[1].pk].set_index("item_id")
    assert list(first.loc[[a.pk, b.pk, c.pk], "total"]) == pytest.approx([4.75, 3.5, 1.0])
    assert list(first.loc[[a.pk, b.pk, c.pk], "z"]) == pytest.approx(
        [1.069045, 0.267261, -1.336306], abs=1e-6
    )
    assert list(second.loc[[a.pk, b.pk, c.pk], "z"]) == pytest.approx(
        [0.707107, 0.707107, -1.414214], abs=1e-6
    )


def test_panel_results_agreement_per_criterion(scored):
    panel, _ = scored

    agreement = rows_by_item(panel_results(panel).agreement, key="criterion")

    impact, feasibility = agreement["impact"], agreement["feasibility"]
    assert (impact["pairs"], feasibility["pairs"]) == (3, 3)
    assert impact["mean_abs_diff"] == pytest.approx(5 / 3)
    assert feasibility["mean_abs_diff"] == pytest.approx(2 / 3)
    assert (impact["max_abs_diff"], feasibility["max_abs_diff"]) == (3, 1)
    assert impact["exact_share"] == 0
    assert feasibility["exact_share"] == pytest.approx(1 / 3)
    assert (impact["label"], feasibility["label"]) == ("波及効果", "実現可能性")


def test_panel_results_only_submitted_scores_unscored_items_listed(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)
    scored_item, waiting = register(panel, subjects(subsidy_round, companies, people, 2))
    for item in (scored_item, waiting):
        committee.reviewers_assign(item_id=item.pk)
    score(scored_item.assignments.order_by("pk").first(), 4, 4)

    results = panel_results(panel)

    assert list(results.table["item_id"]) == [scored_item.pk]
    assert results.table.iloc[0]["reviewers"] == 1
    assert results.unscored == [waiting]


def test_panel_page_shows_ranking_for_staff_chair_and_approver(scored, people, chair, client):
    panel, (a, _, _) = scored
    for user in (people.staff, chair, people.approver):
        client.force_login(user)
        page = client.get(f"/reviews/panels/{panel.pk}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert text.count('data-testid="ranked-row"') == 3
        assert a.label in text and "4.38" in text and "0.89" in text
        assert "-1.38" in text  # C's mean z
        assert f"/reviews/panels/{panel.pk}/ranking.xlsx" in text


def test_panel_page_404_for_a_reviewer(scored, reviewers, client):
    panel, _ = scored
    client.force_login(reviewers[0])

    assert client.get(f"/reviews/panels/{panel.pk}/").status_code == 404
    assert client.get(f"/reviews/panels/{panel.pk}/ranking.csv").status_code == 404
