import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from appraisal.cleaning import clean_text, has_unwanted


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the person chose another language with the switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a deputy's phone set to English still gets the committee's Chinese pages
    until they choose otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Sign-out after SESSION_COOKIE_AGE of inactivity, without a database write per request.

    Django's SESSION_SAVE_EVERY_REQUEST would rewrite the session row on every
    page and every ballot; this pushes the expiry forward at most once a minute,
    which is all an inactivity timeout needs. Sits just inside SessionMiddleware,
    which saves the session when it has been modified.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        return response


class HostileInputMiddleware:
    """A 4xx for requests no browser sends, before any view or the admin sees them; other
    control characters out of the form data.

    A NUL character anywhere (path, query, form data): no person types one, and
    PostgreSQL cannot store or even compare one (SQLite can). An address longer than
    8 kB: the limit of common proxies (nginx, by default), which SQLite's LIKE would
    otherwise meet as a "pattern too complex" in the admin's search.
    """

    MAX_URL_LENGTH = 8 * 1024

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.path) + len(request.META.get("QUERY_STRING", "")) > self.MAX_URL_LENGTH:
            return HttpResponse(_("The address is too long."), status=414)
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and (_has_nul(request.POST) or _has_nul(request.FILES)))
        ):
            return HttpResponseBadRequest(_("The request contains a NUL character."))
        # A cookie no browser sets (a NUL in a session key would reach PostgreSQL, which
        # cannot compare it): as if it were not sent.
        request.COOKIES = {k: v for k, v in request.COOKIES.items() if "\x00" not in k + v}
        request.GET = _without_controls(request.GET)  # type: ignore[assignment]
        if request.method == "POST":
            request.POST = _without_controls(request.POST)  # type: ignore[assignment]
        return self.get_response(request)


def _without_controls(data: QueryDict) -> QueryDict:
    """The form data without control and invisible format characters (``cleaning``)."""
    if not any(has_unwanted(v) for _k, values in data.lists() for v in values):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key, [clean_text(v) for v in values])
    clean._mutable = False
    return clean


def _has_nul(data: Any) -> bool:
    for key, values in data.lists():
        if "\x00" in key:
            return True
        for value in values:
            text = value if isinstance(value, str) else getattr(value, "name", "") or ""
            if "\x00" in text:
                return True
    return False
