"""Reading pages as a user reads them."""

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
