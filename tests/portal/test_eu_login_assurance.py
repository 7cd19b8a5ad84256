"""EU_LOGIN_MINIMUM_ACR: which levels of assurance pass (portal/eulogin/factor.py). The refusal itself, its page and
its audit entry are proven against a real provider in tests/browser/test_eu_login_refusals.py."""

from portal.eulogin.factor import meets_minimum

LOW, MEDIUM, HIGH = (f"https://ecas.ec.europa.eu/loa/{level}" for level in ("low", "medium", "high"))


def test_unset_every_level_passes_even_none(settings):
    settings.EU_LOGIN_MINIMUM_ACR = ""
    assert all(meets_minimum({"acr": acr}) for acr in (LOW, MEDIUM, HIGH, "basic"))
    assert meets_minimum({})


def test_set_the_minimum_and_above_pass_and_below_unknown_or_missing_do_not(settings):
    settings.EU_LOGIN_MINIMUM_ACR = MEDIUM
    assert meets_minimum({"acr": MEDIUM}) and meets_minimum({"acr": HIGH})
    assert not meets_minimum({"acr": LOW})
    assert not meets_minimum({"acr": "basic"})  # a level the order does not name is no level at all
    assert not meets_minimum({})


def test_the_order_is_the_settings(settings):
    settings.EU_LOGIN_ACR_ORDER = ["basic", MEDIUM]
    settings.EU_LOGIN_MINIMUM_ACR = "basic"
    assert meets_minimum({"acr": "basic"}) and meets_minimum({"acr": MEDIUM}) and not meets_minimum({"acr": HIGH})
