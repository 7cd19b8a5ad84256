"""HTML to PDF with WeasyPrint, the one place that loads it.

WeasyPrint loads Pango when imported, so it is imported when a PDF is first asked for, not when the portal starts.

A PDF may be rendered where there is no request (a Celery worker): the base URL is then SITE_URL, and every
stylesheet, image or font the HTML names under STATIC_URL is read from the portal's own static files on disk. Nothing
is ever fetched over the network: a worker must not depend on the web server, and HTML built from what users typed
must not make the portal call out.

Every PDF carries its handling marking (FIRST TLP 2.0, portal/markings.py) in the header and the footer of every
page, right-aligned, in 12 pt, in its colour on black: `html_to_pdf` adds the page's margin boxes itself, so that no
template can forget them. The caller says which marking the file carries (`marking_of` what it shows).
"""

import mimetypes
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

from portal.markings import Marking


def static_path(name):
    """The file on disk of a static file's name: from the source folders, else from collectstatic's (hashed names).
    None for a name that is not one (nothing found, or a path that climbs out of the static folders)."""
    try:
        found = finders.find(name) or staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return found if os.path.isfile(found) else None


def local_fetcher():
    """WeasyPrint's URL fetcher for the portal: static files from disk, data: URLs as they are, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # deliberately late: see the module docstring

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            found = static_path(path[len(settings.STATIC_URL):]) if path.startswith(settings.STATIC_URL) else None
            if not found:
                raise ValueError(f"not fetched (PDFs read only the portal's static files): {url}")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            # WeasyPrint closes the file once it has read it.
            return URLFetcherResponse(Path(found).as_uri(), open(found, "rb"), {"Content-Type": kind})  # noqa: SIM115

    return LocalOnly()


def marking_css(marking):
    """The page rule that writes `marking` in the top and bottom right margin boxes of every page (TLP 2.0: header
    and footer, right-aligned, at least 12 pt, its colour on black). `!important`: a stylesheet passed to WeasyPrint
    is a user stylesheet, which a template's own @page rules would otherwise override."""
    marking = Marking(marking)
    box = (f'content: "{marking.value}" !important; color: {marking.colour} !important; '
           "background: #000 !important; font: bold 12pt 'DejaVu Sans', sans-serif !important; "
           "text-align: right !important; padding: 0 4pt !important; width: auto !important")
    return (f"@page {{ @top-right {{ {box}; vertical-align: bottom !important }} "
            f"@bottom-right {{ {box}; vertical-align: top !important }} }}")


def html_to_pdf(html, base_url=None, *, marking, target=None):
    """The PDF as bytes, or written to `target` (a path or a file) when one is given, which keeps it out of memory.

    `marking` is the file's handling marking (a label, or None for a file that shows no marked content), printed in
    every page's header and footer."""
    from weasyprint import CSS, HTML  # deliberately late: see the module docstring

    document = HTML(string=html, base_url=base_url or settings.SITE_URL, url_fetcher=local_fetcher())
    stylesheets = [CSS(string=marking_css(marking))] if marking else []
    return document.write_pdf(target, stylesheets=stylesheets)
