"""Two-factor sign-in: who must pass it, enrolment, codes, recovery codes, the API."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from fixtures.demo import DEMO_PASSWORD

VERIFY = "/accounts/two-factor/verify/"
ENROL = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/authenticator/"

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, user) -> object:
    """The password step, through the login page; returns where it leads."""
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": DEMO_PASSWORD, "next": "/staff/"},
    )
    assert response.status_code == 302 and response.url == "/staff/"
    return client.get("/staff/")


def without_device(user):
    TOTPDevice.objects.filter(user=user).delete()
    return user


def test_sign_in_staff_without_device_sent_to_enrolment_and_refused_everywhere(client, people):
    staff = without_device(people.staff)
    # when
    response = sign_in(client, staff)
    # then
    assert response.status_code == 302 and response.url == f"{ENROL}?next=%2Fstaff%2F"
    for url in ["/staff/", "/finance/", "/audit/", "/kpis/", "/admin/", "/", VERIFY]:
        assert client.get(url).status_code == 302, url
        assert client.get(url).url.startswith(ENROL), url
    api = client.get("/api/applications/")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert client.get(ENROL).status_code == 200
    assert client.get(SETUP).status_code == 200


def test_sign_in_staff_with_device_and_correct_code_admitted(client, people):
    device = TOTPDevice.objects.get(user=people.staff)
    response = sign_in(client, people.staff)
    assert response.status_code == 302 and response.url == f"{VERIFY}?next=%2Fstaff%2F"
    assert client.get("/api/applications/").status_code == 403
    # when
    response = client.post(VERIFY, {"code": code_of(device), "next": "/staff/"})
    # then
    assert response.status_code == 302 and response.url == "/staff/"
    staff_page = client.get("/staff/")
    assert staff_page.status_code == 200 or not staff_page.url.startswith("/accounts/")
    assert client.get("/api/applications/").status_code == 200
    assert client.get("/kpis/").status_code == 200


def test_verify_wrong_code_refused_with_the_error_next_to_the_field(client, people):
    device = TOTPDevice.objects.get(user=people.staff)
    sign_in(client, people.staff)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    # when
    response = client.post(VERIFY, {"code": wrong, "next": "/staff/"})
    # then
    assert response.status_code == 400
    assert 'id="code-error"' in response.content.decode()
    assert client.get("/api/applications/").status_code == 403
    assert client.get("/staff/").url.startswith(VERIFY)


def test_verify_same_code_twice_refused_the_second_time(client, people):
    device = TOTPDevice.objects.get(user=people.staff)
    sign_in(client, people.staff)
    code = code_of(device)
    client.post(VERIFY, {"code": code})
    other = client.__class__()
    sign_in(other, people.staff)
    # when
    response = other.post(VERIFY, {"code": code})
    # then
    assert response.status_code == 400
    assert other.get("/api/applications/").status_code == 403


def test_enrolment_confirm_then_recovery_codes_shown_once_and_each_works_once(client, people):
    staff = without_device(people.staff)
    sign_in(client, staff)
    page = client.get(SETUP)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post(SETUP, {"code": "000000"}).status_code in (400,)  # wrong (almost surely)
    # when
    response = client.post(SETUP, {"code": code_of(device), "next": "/staff/"})
    # then: signed in with the new authenticator, and shown the recovery codes once
    assert response.status_code == 200
    codes = [t.token for t in StaticToken.objects.filter(device__user=staff)]
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.get("/api/applications/").status_code == 200
    assert codes[0] not in client.get("/accounts/two-factor/recovery-codes/").content.decode()
    # a recovery code signs in once
    second = client.__class__()
    sign_in(second, staff)
    assert second.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert second.get("/api/applications/").status_code == 200
    third = client.__class__()
    sign_in(third, staff)
    assert third.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert third.get("/api/applications/").status_code == 403
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_recovery_codes_regenerate_old_codes_stop_working(people):
    old = services.recovery_codes_regenerate(user=people.staff)
    # when
    new = services.recovery_codes_regenerate(user=people.staff)
    # then
    remaining = set(
        StaticToken.objects.filter(device__user=people.staff).values_list("token", flat=True)
    )
    assert remaining == set(new) and not remaining & set(old)


def test_recovery_codes_regenerate_without_authenticator_refused(people):
    from accounts.exceptions import TwoFactorNotEnrolled

    with pytest.raises(TwoFactorNotEnrolled):
        services.recovery_codes_regenerate(user=without_device(people.staff))
    assert not StaticToken.objects.filter(device__user=people.staff).exists()


def test_sign_in_applicant_not_forced(client, people):
    client.post("/accounts/login/", {"username": "applicant", "password": DEMO_PASSWORD})
    assert client.get("/portal/").status_code == 200
    assert client.get("/api/applications/").status_code == 200


def test_sign_in_applicant_who_opted_in_must_verify(client, people):
    # given: the applicant set up an authenticator
    client.post("/accounts/login/", {"username": "applicant", "password": DEMO_PASSWORD})
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people.applicant, confirmed=False)
    assert client.post(SETUP, {"code": code_of(device)}).status_code == 200
    client.post("/accounts/logout/")
    # when
    client.post("/accounts/login/", {"username": "applicant", "password": DEMO_PASSWORD})
    # then
    assert client.get("/portal/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_of(device, steps_ahead=1)}).status_code == 302
    assert client.get("/portal/").status_code == 200


def test_enrolled_but_unverified_user_cannot_enrol_another_authenticator(client, people):
    sign_in(client, people.staff)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"}).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=people.staff).count() == 1


def test_sign_in_requirement_off_staff_admitted_without_device(client, people, settings):
    settings.KOFU_TWO_FACTOR_REQUIRED = False
    staff = without_device(people.staff)
    client.post("/accounts/login/", {"username": staff.username, "password": DEMO_PASSWORD})
    assert client.get("/api/applications/").status_code == 200


def test_sign_in_role_not_listed_admitted_without_device(client, people, settings):
    settings.KOFU_TWO_FACTOR_ROLES = ["finance"]
    staff = without_device(people.staff)
    client.post("/accounts/login/", {"username": staff.username, "password": DEMO_PASSWORD})
    assert client.get("/api/applications/").status_code == 200
    finance = without_device(people.finance)
    other = client.__class__()
    other.post("/accounts/login/", {"username": finance.username, "password": DEMO_PASSWORD})
    assert other.get("/api/applications/").status_code == 403


def test_sign_in_reviewer_must_verify(client, reviewers):
    client.post("/accounts/login/", {"username": "reviewer1", "password": DEMO_PASSWORD})
    assert client.get("/reviews/").url.startswith(VERIFY)
