"""The policy watch that every journey runs under (tests/conftest.py) sees a violation when there is one."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_style_or_script_on_a_portal_page_is_blocked_and_reported(page, _content_security_policy_holds):
    watch = _content_security_policy_holds
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.evaluate("""() => {
      document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
      const script = document.createElement("script");
      script.textContent = "window.ranInline = true";
      document.body.appendChild(script);
    }""")
    expect(page.locator("#styled")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert page.evaluate("() => window.ranInline === undefined")
    page.wait_for_timeout(200)  # the reports arrive as console messages
    assert any("style-src" in problem for problem in watch.problems)
    assert any("script-src" in problem for problem in watch.problems)
    watch.problems.clear()  # seen: this test's own injections, not the portal's
