from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
