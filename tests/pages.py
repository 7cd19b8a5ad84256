"""Reading pages as a user reads them."""

import html
import re


def figure(page, label):
    """A figure of the dashboard's table of reporting rates, read from the page as a user sees it."""
    table = page[page.index('id="timeliness-figures"'):]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table[:table.index("</thead>")])
    values = re.findall(r'<span class="fs-5">(\d+)</span>', table[:table.index("</tbody>")])
    return int(dict(zip(headers, values))[label])


def publish(client, review):
    """Publish `review` as a reviewer does: open the confirmation page, then confirm what it shows."""
    from django.urls import reverse

    url = reverse("reporting:review_publish", args=[review.pk])
    page = client.get(url).content.decode()
    token = re.search(r'name="replaces" value="([^"]+)"', page)
    assert token, "the confirmation page offers no publishing"
    return client.post(url, {"replaces": token[1]})


def review_table(page, key):
    """A review table on the page (its `id="table-<key>"` section) as text: its headers and its rows of cells."""
    section = page[page.index(f'id="table-{key}"'):]
    section = section[:section.index("</table>")]
    head, body = section.split("</thead>")
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    headers = [_text(h) for h in cell.findall(head)]
    rows = [[_text(c) for c in cell.findall(row)] for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return headers, rows


def _text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()
