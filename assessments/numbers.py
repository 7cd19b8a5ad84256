"""Numbers as people write them: a decimal point or a decimal comma, never a thousands separator.

"2,5" and "2.5" are both 2.5; "25" is 25. Anything that would have to be guessed is refused with a message:
"1.000" or "1,000" (one thousand, or one?), "1.000,5", "1 000", "ca. 5", "2,5,0", "1e3".
"""

import re
from decimal import Decimal

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

NUMBER = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<fraction>\d+))?%?$")


class Unreadable(ValueError):
    pass


def parse_decimal(text):
    """The Decimal a person meant by `text`, or Unreadable with why."""
    compact = str(text).strip()
    found = NUMBER.match(compact.replace(" %", "%"))
    if not found:
        raise Unreadable(_("“%(text)s” is not a number: write it with digits and at most one decimal comma or "
                           "point, such as 2.5 or 2,5.") % {"text": compact})
    whole, fraction = found["whole"], found["fraction"]
    if fraction is not None and len(fraction) == 3:
        raise Unreadable(_("“%(text)s” could be read two ways (a thousands separator, or three decimals): write it "
                           "without a thousands separator, with at most two decimals.") % {"text": compact})
    return Decimal(f"{whole}.{fraction}" if fraction is not None else whole)


def local_number(value):
    """A stored Decimal as the reader's language writes it in a field: its decimal separator, no thousands separator,
    no trailing zeros ("2,5" in German, "2.5" in English, "20" for 20.00): what `parse_decimal` reads back."""
    plain = format(value.normalize(), "f")
    return plain.replace(".", get_format("DECIMAL_SEPARATOR"))


class LocalDecimalField(forms.DecimalField):
    """A decimal typed with a comma or a point, shown back as the reader's language writes it; a text input, so
    that the browser never drops the comma."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "data-decimal": "1"})
        self.widget.input_type = "text"

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)  # a text input has no step; the attribute would only confuse assistive technology
        return attrs

    def prepare_value(self, value):
        return local_number(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(value)
        except Unreadable as refused:
            raise forms.ValidationError(str(refused), code="invalid") from None
