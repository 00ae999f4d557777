"""The reskilling award's portal pages, through Django's test client, with the real flow."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Company
from awards import services as award_services
from awards.models import Nomination
from core.roles import Role
from fixtures.demo import user_create
from fixtures.documents import pdf_bytes
from tests.awards.helpers import (
    SUMMARY,
    award_round_create,
    completed_application,
    third_party_nomination,
)
from web.templatetags.kofu import when
from workflows import services as wf
from workflows import steps
from workflows.flows import NominationFlow

pytestmark = pytest.mark.django_db

CHAMBER = "水戸商工会議所"


def chamber_member(language: str = "ja"):
    """A member of a chamber of commerce registered as a company with a valid 法人番号."""
    chamber = Company(name=CHAMBER, corporate_number="4100002000001", address="水戸市城南1-2-43")
    chamber.full_clean()
    chamber.save()
    return user_create("chamber", Role.APPLICANT, chamber, language)


@pytest.fixture
def award_round(db):
    return award_round_create()


def _status(pk: int) -> str:
    return Nomination.objects.get(pk=pk).status


def _page(client, user, pk: int) -> str:
    client.force_login(user)
    response = client.get(f"/portal/nominations/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_self_nomination_from_the_index_form_to_submission(award_round, people, client):
    client.force_login(people.applicant)
    assert 'action="/portal/nominations/new/"' in client.get("/portal/").content.decode()

    created = client.post(
        "/portal/nominations/new/",
        {"round": award_round.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    nomination = Nomination.objects.get(round=award_round)
    assert created.url == f"/portal/nominations/{nomination.pk}/"
    assert nomination.company == nomination.nominating_company == people.applicant.profile.company

    client.post(f"{created.url}submit/")

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.consent_given_by == people.applicant  # a self-nomination consents
    page = _page(client, people.colleague, nomination.pk)
    assert 'name="submit"' not in page and nomination.reference in page


def test_third_party_nomination_with_consent_citation_and_document(
    award_round, people, client, reference
):
    chamber = chamber_member()
    nominee = people.other_applicant  # companies[1]
    subsidy = completed_application(nominee, people)
    client.force_login(chamber)

    # given: the chamber nominates companies[1] by its corporate number
    client.post(
        "/portal/nominations/new/",
        {
            "round": award_round.pk,
            "nominator_kind": Nomination.NominatorKind.CHAMBER,
            "corporate_number": nominee.profile.company.corporate_number,
            "nominator_organisation": CHAMBER,
            "summary": SUMMARY,
        },
    )
    nomination = Nomination.objects.get(round=award_round)
    url = f"/portal/nominations/{nomination.pk}/"
    assert nomination.company == nominee.profile.company
    assert nomination.nominating_company == chamber.profile.company

    # when: submitted before the nominee consents, it is refused
    client.post(f"{url}submit/")
    assert _status(nomination.pk) == Nomination.Status.DRAFT
    assert 'name="consent"' not in _page(client, chamber, nomination.pk)

    # when: the nominee consents, cites its completed subsidy, the chamber attaches a file
    assert 'name="consent"' in _page(client, nominee, nomination.pk)
    client.post(f"{url}consent/")
    page = _page(client, nominee, nomination.pk)
    assert f'name="applications" value="{subsidy.pk}"' in page
    client.post(f"{url}cite/", {"applications": [str(subsidy.pk)]})
    client.force_login(chamber)
    client.post(
        f"{url}documents/",
        {
            "description": "取組の紹介資料",
            "file": SimpleUploadedFile("取組紹介.pdf", pdf_bytes("activities")),
        },
    )
    client.post(f"{url}submit/")

    # then: submitted with the consent, the citation as recorded and the document
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.consent_given_by == nominee
    assert [row["reference"] for row in nomination.evidence_snapshot] == [subsidy.reference]
    assert list(nomination.documents.values_list("original_name", flat=True)) == ["取組紹介.pdf"]
    for user in (chamber, nominee):
        page = _page(client, user, nomination.pk)
        assert 'data-testid="status"' in page and subsidy.reference in page
        assert "取組紹介.pdf" in page
        assert nomination.reference in client.get("/portal/").content.decode()
    client.force_login(people.applicant)  # companies[0]: neither nominee nor nominator
    assert client.get(url).status_code == 404
    assert nomination.reference not in client.get("/portal/").content.decode()


def _letter_links(page: str) -> list[str]:
    return re.findall(r'href="(/letters/\d+/pdf/)"', page)


def test_each_party_sees_only_the_letters_it_can_open(
    award_round, people, client, django_capture_on_commit_callbacks
):
    chamber, nominee = chamber_member(), people.other_applicant
    nomination = third_party_nomination(award_round, chamber, nominee.profile.company)
    award_services.nomination_consent_record(nomination_id=nomination.pk, by=nominee)
    wf.nomination_process_submit(nomination_id=nomination.pk, by=chamber)
    with django_capture_on_commit_callbacks(execute=True):  # the letter renders after commit
        wf.step_complete(
            application_id=nomination.pk,
            step=steps.CHECK_NOMINATION,
            by=people.staff,
            data={"accept": False, "items": ["推薦理由を具体的に"]},
            flow_class=NominationFlow,
        )

    # the correction letter is addressed to the nominating organisation, which must correct
    links = _letter_links(_page(client, chamber, nomination.pk))
    assert len(links) == 1
    assert client.get(links[0]).status_code == 200
    for link in _letter_links(_page(client, nominee, nomination.pk)):
        assert client.get(link).status_code == 200, link


def test_unknown_corporate_number_is_refused_on_the_index(award_round, people, client):
    client.force_login(chamber_member())
    page = client.post(
        "/portal/nominations/new/",
        {
            "round": award_round.pk,
            "nominator_kind": Nomination.NominatorKind.CHAMBER,
            "corporate_number": "1234567890123",
            "nominator_organisation": CHAMBER,
        },
        follow=True,
    ).content.decode()
    assert "1234567890123" in page
    assert not Nomination.objects.exists()


def test_third_party_nomination_of_ones_own_number_points_to_self_nomination(
    award_round, people, client
):
    member = chamber_member("en")
    client.force_login(member)
    page = client.post(
        "/portal/nominations/new/",
        {
            "round": award_round.pk,
            "nominator_kind": Nomination.NominatorKind.CHAMBER,
            "corporate_number": member.profile.company.corporate_number,
            "nominator_organisation": CHAMBER,
            "summary": SUMMARY,
        },
        follow=True,
    ).content.decode()
    assert "make a self-nomination" in page
    assert not Nomination.objects.exists()


def test_self_nomination_may_give_its_own_corporate_number(award_round, people, client):
    client.force_login(people.applicant)
    client.post(
        "/portal/nominations/new/",
        {
            "round": award_round.pk,
            "nominator_kind": "self",
            "corporate_number": people.applicant.profile.company.corporate_number,
        },
    )
    assert Nomination.objects.get().company == people.applicant.profile.company


def test_citing_another_companys_subsidy_is_refused(award_round, people, client, reference):
    theirs = completed_application(people.other_applicant, people)
    client.force_login(people.applicant)
    client.post(
        "/portal/nominations/new/",
        {"round": award_round.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    nomination = Nomination.objects.get()

    page = client.post(
        f"/portal/nominations/{nomination.pk}/cite/",
        {"applications": [str(theirs.pk)]},
        follow=True,
    ).content.decode()

    assert theirs.reference in page  # "… is not a subsidy of …"
    assert not nomination.cited_applications.exists()


def test_returned_nomination_answered_from_its_page(award_round, people, client):
    client.force_login(people.applicant)
    client.post(
        "/portal/nominations/new/",
        {"round": award_round.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    nomination = Nomination.objects.get()
    url = f"/portal/nominations/{nomination.pk}/"
    client.post(f"{url}submit/")
    wf.step_complete(
        application_id=nomination.pk,
        step=steps.CHECK_NOMINATION,
        by=people.staff,
        data={"accept": False, "items": ["成果の数値を記載してください"]},
        flow_class=NominationFlow,
    )
    correction = nomination.correction_requests.get()

    page = _page(client, people.applicant, nomination.pk)
    assert "成果の数値を記載してください" in page
    assert f'data-testid="deadline">{when(correction.deadline)}<' in page
    client.post(f"{url}resubmit/", {"answer": "追記しました"})

    correction.refresh_from_db()
    assert _status(nomination.pk) == Nomination.Status.SUBMITTED
    assert correction.answer == "追記しました"


ACTIONS = ("consent/", "cite/", "documents/", "submit/", "resubmit/", "withdraw/")


def test_an_unrelated_company_gets_404_on_every_action(award_round, people, client):
    client.force_login(people.applicant)
    client.post(
        "/portal/nominations/new/",
        {"round": award_round.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    nomination = Nomination.objects.get()
    url = f"/portal/nominations/{nomination.pk}/"
    client.force_login(people.other_applicant)

    assert client.get(url).status_code == 404
    for action in ACTIONS:
        assert client.post(f"{url}{action}").status_code == 404
    assert _status(nomination.pk) == Nomination.Status.DRAFT

    client.logout()
    response = client.post(f"{url}withdraw/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert _status(nomination.pk) == Nomination.Status.DRAFT


def test_withdrawn_from_the_page(award_round, people, client):
    client.force_login(people.applicant)
    client.post(
        "/portal/nominations/new/",
        {"round": award_round.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    nomination = Nomination.objects.get()
    url = f"/portal/nominations/{nomination.pk}/"
    client.post(f"{url}submit/")

    client.post(f"{url}withdraw/", {"reason": "辞退します"})

    assert _status(nomination.pk) == Nomination.Status.WITHDRAWN
    assert 'name="withdraw"' not in _page(client, people.applicant, nomination.pk)
