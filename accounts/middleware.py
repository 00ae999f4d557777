from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
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
