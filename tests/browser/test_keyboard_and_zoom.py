"""WCAG 2.1 AA beyond what axe sees: the keyboard alone, focus you can see, pages that reflow at 320 CSS pixels (and
fit at 1366) in every language."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from assessments.models import ScenarioRating, UnsavedInput
from portal.models import User
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = """() => {
  const el = document.activeElement;
  return {id: el.id, tag: el.tagName, name: el.getAttribute('name') || '',
          text: (el.innerText || el.value || '').trim()};
}"""


def tab_to(page, matches, *, limit=400, key="Tab"):
    """Press Tab (or `key`) until the focused element satisfies `matches` (a function of ACTIVE's dict)."""
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE)
        if matches(active):
            return active
    raise AssertionError(f"never reached with {key}: last focus {page.evaluate(ACTIVE)}")


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


RING = """el => {
  const style = getComputedStyle(el);
  let node = el.parentElement, background = 'rgba(0, 0, 0, 0)';
  while (node) {  // what the ring sits on: the first ancestor with a background of its own
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { background = bg; break; }
    node = node.parentElement;
  }
  if (background === 'rgba(0, 0, 0, 0)') background = 'rgb(255, 255, 255)';
  return {color: style.outlineColor, width: parseFloat(style.outlineWidth), style: style.outlineStyle,
          offset: parseFloat(style.outlineOffset), background: background};
}"""


def rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def test_a_section_filed_and_refused_with_the_keyboard_alone_then_submit_reached(browser, live_server, axe_check):
    helpers.cycle_with_questionnaire(title="2026 update", year=2026)
    factories.user("lead reporter", "AT", username="lukas-at")
    page = log_in(browser, live_server, "lukas-at")

    # Home: the start button, with Enter. Overview: the first section's link.
    tab_to(page, lambda a: a["tag"] == "BUTTON" and a["text"].startswith("Start the national assessment"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    tab_to(page, lambda a: a["tag"] == "A" and "Risk scenarios" in a["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk scenarios")

    # R1 rated 5 x 5 with the arrow keys, and no justification: critical, so the save is refused.
    tab_to(page, lambda a: a["name"] == "scenarios-0-likelihood")
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # to the impact
    assert page.evaluate(ACTIVE)["name"] == "scenarios-0-impact"
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Tab")  # back, and forth again: nothing lost by moving around
    assert page.evaluate(ACTIVE)["name"] == "scenarios-0-likelihood"
    expect(page.locator("#id_scenarios-0-likelihood")).to_have_value("5")
    tab_to(page, lambda a: a["tag"] == "BUTTON" and a["text"] == "Save")
    page.keyboard.press("Enter")

    # Refused: the title says so, the focus is on the error summary, whose link takes the keyboard to the field.
    expect(page).to_have_title(re.compile("^Error:"))
    assert page.evaluate(ACTIVE)["id"] == "error-summary"
    axe_check(page)
    tab_to(page, lambda a: a["tag"] == "A" and "justification" in a["text"].lower())
    page.keyboard.press("Enter")
    expect(page.locator("#id_scenarios-0-justification")).to_be_focused()
    page.keyboard.type("One supplier holds most of the RAN.")
    tab_to(page, lambda a: a["tag"] == "BUTTON" and a["text"] == "Save")
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Risk scenarios saved.")
    r1 = ScenarioRating.objects.get(version=None, scenario__code="R1")
    assert (r1.likelihood, r1.impact, r1.level) == (5, 5, "critical")

    # The submit page, reached from the overview with the keyboard.
    tab_to(page, lambda a: a["tag"] == "A" and a["text"] == "Back to the overview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria: 2026 update")
    tab_to(page, lambda a: a["tag"] == "A" and "before submitting" in a["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit the national assessment")
    axe_check(page)


def test_every_control_shows_a_focus_ring_of_at_least_three_to_one(browser, live_server):
    cycle = helpers.cycle_with_questionnaire(title="2026 update", year=2026)
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    draft = helpers.fill(helpers.start(cycle, lead))
    # A colleague's refused input: the submit page asks for a tick that it will not be part of the version.
    UnsavedInput.objects.create(section_state=draft.section_states.get(section="scope"),
                                user=factories.user("reporter", "AT"),
                                data={"scope.summary": "x"}, base_revision=0)
    page = log_in(browser, live_server, "lukas-at")
    scope, suppliers = (f"/assessments/{draft.pk}/sections/{code}/" for code in ("scope", "suppliers"))
    kinds = {  # each kind of control, reached with Tab as a keyboard user reaches it
        "navigation link": (scope, "nav .nav-link"), "link": (scope, "main a[href]"),
        "textarea": (scope, "main textarea"), "text input": (scope, "main input[type=text]"),
        "select": (suppliers, "main select"), "primary button": (suppliers, "main .btn-primary"),
        "outline button": (suppliers, "main .btn-outline-primary"),
        "checkbox": (f"/assessments/{draft.pk}/submit/", "main input[type=checkbox]"),
    }
    ratios = {}
    for kind, (url, selector) in kinds.items():
        page.goto(url)
        tab_to(page, lambda _a, selector=selector: page.evaluate(f"document.activeElement.matches({selector!r})"))
        ring = page.evaluate(f"() => ({RING})(document.activeElement)")
        assert ring["style"] != "none" and ring["width"] >= 2, (kind, ring)
        ratios[kind] = contrast(rgb(ring["color"]), rgb(ring["background"]))
    assert {kind: ratio for kind, ratio in ratios.items() if ratio < 3} == {}, ratios


OVERFLOW = """() => {
  // What sticks out of the viewport, but for what sits in a scroll region of its own (a wide table, a long hash).
  const width = document.documentElement.clientWidth, found = [];
  const scrolls = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1 || el.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    if (!scrolls(el)) found.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return {scroll: document.documentElement.scrollWidth, width: width, found: found.slice(0, 10)};
}"""


def overflows(page, user, urls):
    """What sticks out of the window at 320 and at 1366 CSS pixels, in every language the portal speaks (the account's
    language wins over the browser's): {(url, language, width): (page width, what sticks out)}."""
    problems = {}
    for code, _name in settings.LANGUAGES:
        User.objects.filter(pk=user.pk).update(language=code)
        for url in urls:
            page.set_viewport_size({"width": 320, "height": 640})
            assert page.goto(url).status == 200, url
            for width in (320, 1366):
                page.set_viewport_size({"width": width, "height": 640})
                found = page.evaluate(OVERFLOW)
                if found["scroll"] > found["width"] or found["found"]:
                    problems[(url, code, width)] = (found["scroll"], found["found"][:4])
    return problems


def test_the_filers_pages_fit_at_320_and_1366_css_pixels_in_every_language(browser, live_server):
    cycle = helpers.cycle_with_questionnaire(title="2026 update", year=2026)
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    draft = helpers.fill(helpers.start(cycle, lead))
    page = log_in(browser, live_server, "lukas-at")
    pages = ["/", "/accessibility/", f"/assessments/{draft.pk}/", f"/assessments/{draft.pk}/submit/",
             f"/assessments/{draft.pk}/attachments/", f"/assessments/{draft.pk}/workbook/",
             *(f"/assessments/{draft.pk}/sections/{code}/" for code in
               ("scope", "threats", "assets", "suppliers", "scenarios", "measures"))]
    problems = overflows(page, lead, pages)
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_autosave_speaks_once_per_change_of_state_never_per_keystroke(browser, live_server):
    cycle = helpers.cycle_with_questionnaire(title="2026 update", year=2026)
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    draft = helpers.start(cycle, lead)
    page = log_in(browser, live_server, "lukas-at")
    page.goto(f"/assessments/{draft.pk}/sections/scope/")
    page.evaluate("""() => {
      window.spoken = [];
      const region = document.getElementById('autosave-announce');
      new MutationObserver(() => window.spoken.push(region.textContent)).observe(
        region, {childList: true, characterData: true, subtree: true});
    }""")
    page.get_by_label("Summary").press_sequentially("Risks are highest in the core network and in the RAN.")
    page.get_by_label("Contributing authorities").focus()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    page.get_by_label("Contributing authorities").press_sequentially("RTR")
    page.get_by_label("Operators consulted").focus()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=10000)
    # "Saving…" is said only when a save takes over a second (a loaded machine): a state too, never a keystroke.
    spoken = [text.split(" at ")[0] for text in page.evaluate("window.spoken") if text != "Saving…"]
    assert spoken == ["Unsaved changes…", "Saved", "Unsaved changes…", "Saved"]
    # The region was there from the start, empty: what it says is news, and said once.
    assert page.locator("#autosave-announce[role=status]").count() == 1


def test_the_reviewers_and_admins_pages_fit_at_320_and_1366_css_pixels_in_every_language(browser, live_server, four):
    from assessments.models import NationalAssessment
    from reporting import services as review_services
    from reporting.models import CoordinatedReview

    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    factories.user("reviewer", username="rita-reviewer")
    factories.user("admin", username="ada-admin")
    austria = NationalAssessment.objects.get(cycle=four, member_state__eu_code="AT")
    milestone = four.milestones.get()
    states = "&".join(f"member_states={pk}" for pk in NationalAssessment.objects.filter(cycle=four)
                      .values_list("member_state_id", flat=True))
    pages = {
        "rita-reviewer": ["/review/", f"/reporting/cycles/{four.pk}/timeliness/",
                          f"/reporting/cycles/{four.pk}/reviews/", f"/reporting/cycles/{four.pk}/delivery/",
                          f"/reporting/reviews/{review.pk}/", f"/reporting/reviews/{review.pk}/member-states/",
                          f"/assessments/cycles/{four.pk}/submissions/", f"/assessments/{austria.pk}/versions/1/",
                          f"/reporting/cycles/{four.pk}/compare/?section=scenarios&{states}"],
        "ada-admin": ["/manage/", f"/manage/cycles/{four.pk}/", f"/manage/cycles/{four.pk}/milestones/{milestone.pk}/",
                      f"/assessments/cycles/{four.pk}/coverage/", f"/assessments/cycles/{four.pk}/questionnaire/"],
    }
    problems = {}
    for username, urls in pages.items():
        page = log_in(browser, live_server, username)
        problems.update(overflows(page, User.objects.get(username=username), urls))
        page.context.close()
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
