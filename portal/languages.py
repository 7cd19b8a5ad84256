"""The language a person reads the portal in: chosen in the header or on the settings page, kept on the account
(and used for what is sent to them: `language_for`), else the browser's (Django's LocaleMiddleware: cookie, then
Accept-Language). The languages offered are those with a catalogue (settings.LANGUAGES)."""

from django.conf import settings
from django.utils import translation

from portal.lib import translated


def offered(code):
    return code in dict(settings.LANGUAGES)


def language_for(user):
    """The language to write to `user` in (emails, files made for them): their account's, else the default."""
    code = getattr(user, "language", "")
    return code if offered(code) else settings.LANGUAGE_CODE


def remember_language(request, response, code):
    """Read the portal in `code` from now on: in this browser (a cookie) and on the account (saved by the caller);
    an empty or unknown code goes back to the browser's own language."""
    if offered(code):
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True)
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)


class UserLanguageMiddleware:
    """A signed-in user's own language wins over the browser's (after AuthenticationMiddleware).

    The request is answered within `translated.reading()`: the catalogue's and the member states' texts a page
    shows are read a table at a time, in the reader's language, not an entry at a time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and offered(user.language):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        with translated.reading():
            return self.get_response(request)
