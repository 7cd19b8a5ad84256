"""A review's per-member-state listings, read from its input versions' rows a page of member states at a time.

The review stores only EU figures (reporting/aggregate.py); what each member state answered is already in the
versions it was built from, which never change (the build checked their rows against their hashes). So the
listings (risk levels, supplier concentration, measure statuses and notes, consistency flags, provenance) are read
when shown: a page costs one query per listing over that page's versions, whatever the number of member states.
"""

from django.core.paginator import Paginator

from reporting import aggregate

PER_PAGE = 50
# Exports read the listings in larger pages: fewer queries, memory still bounded by the page.
EXPORT_PER_PAGE = 500


def member_state_pages(review, per_page=None, inputs=None):
    """The review's inputs (or those of them given: a capped export's), by member state code, in pages."""
    inputs = review.provenance.all() if inputs is None else inputs
    return Paginator(inputs.order_by("member_state_code", "pk"), per_page or PER_PAGE)


def review_listings(review, inputs):
    """The listings of these inputs (ReviewInput rows) of a done review, with the review's columns."""
    results = review.results
    return aggregate.listings([item.version_id for item in inputs],
                              scenarios=[s["code"] for s in results["scenarios"]],
                              measures=[m["code"] for m in results["toolbox"]["measures"]])


def each_page(review, per_page=None, inputs=None):
    """The listings of every input of the review (or of `inputs`), a page of member states at a time (exports)."""
    pages = member_state_pages(review, per_page or EXPORT_PER_PAGE, inputs)
    for number in pages.page_range:
        yield review_listings(review, list(pages.page(number).object_list))
