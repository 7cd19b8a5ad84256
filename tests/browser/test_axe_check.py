import pytest

pytestmark = pytest.mark.browser


def test_the_accessibility_check_fails_on_a_page_with_violations(browser, axe_check):
    """Guards the guard: the axe check used by every journey does report what it should."""
    page = browser.new_page()
    page.set_content('<html><head><title>t</title></head><body><main><img src="x.png">'
                     '<input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt|label"):
        axe_check(page)
    page.close()
