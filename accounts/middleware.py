from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.roles import IDLE_TIMEOUT_ROLES, user_roles

from .selectors import language_of_user


class ProfileLanguageMiddleware:
    """Show a signed-in user their profile's language unless they picked one in the header.

    Runs after LocaleMiddleware (which reads the language cookie and Accept-Language) and after
    authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chose = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if request.user.is_authenticated and not chose and not request.path.startswith("/api/"):
            language = language_of_user(request.user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class TwoFactorMiddleware:
    """Hold a signed-in user who must pass a second factor (accounts.selectors.
    two_factor_required) at the two-factor pages until they have: other pages redirect there,
    the session-authenticated API answers 403 ``two_factor_required``.

    Without a device they may only enrol (authenticator, passkey); with one they may only
    verify, so a stolen password cannot enrol a device of its own. Runs after django-otp's
    OTPMiddleware, which marks the session's user verified.
    """

    ENROL_ROUTES = frozenset({"two_factor:index", "two_factor:totp_setup", "two_factor:passkeys"})
    VERIFY_ROUTES = frozenset({"two_factor:verify"})
    OPEN_ROUTES = frozenset({"login", "logout", "set_language"})
    PASSKEY_REGISTRATION = frozenset(
        {"credential-registration-begin", "credential-registration-complete"}
    )
    PASSKEY_AUTHENTICATION = frozenset(
        {"credential-authentication-begin", "credential-authentication-complete"}
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        from .selectors import two_factor_enrolled, two_factor_required

        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not two_factor_required(user):
            return None
        enrolled = two_factor_enrolled(user)
        if self._allowed(request.resolver_match, enrolled=enrolled):
            return None
        if request.path.startswith("/api/"):
            from .exceptions import TwoFactorRequired

            error = TwoFactorRequired()
            return JsonResponse(error.as_dict(), status=error.http_status)
        target = reverse("two_factor:verify" if enrolled else "two_factor:index")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

    def _allowed(self, match, *, enrolled: bool) -> bool:
        if match is None:
            return False
        if match.view_name in self.OPEN_ROUTES:
            return True
        if match.namespace == "otp_webauthn":
            names = self.PASSKEY_AUTHENTICATION if enrolled else self.PASSKEY_REGISTRATION
            return match.url_name in names or match.url_name == "js-i18n-catalog"
        return match.view_name in (self.VERIFY_ROUTES if enrolled else self.ENROL_ROUTES)


IDLE_SESSION_KEY = "kofu_last_request_at"


class IdleTimeoutMiddleware:
    """Sign staff-side users out after KOFU_STAFF_IDLE_TIMEOUT_MINUTES without a request and send
    them to the login page with a message; applicants keep the normal session age.

    Runs after authentication and MessageMiddleware. An API request on an expired session goes
    on as anonymous (and is refused as such).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (user.is_staff or user_roles(user) & IDLE_TIMEOUT_ROLES):
            now = timezone.now().timestamp()
            last = request.session.get(IDLE_SESSION_KEY)
            timeout = settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > timeout:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        _(
                            "You were signed out after %(minutes)d minutes without activity. "
                            "Please log in again."
                        )
                        % {"minutes": settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES},
                    )
                    return redirect_to_login(request.get_full_path())
            elif last is None or now - last >= 60:
                # to the minute: a session write per minute, not one per request
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)
