"""Forms read Bengali, Tibetan (and any other script's) digits wherever they accept numbers.

One mechanism for every form of the site, the admin's included: ``install()`` wraps Django's
``Field.clean`` so that a field that takes a number, a date, a time or a phone number sees ASCII
digits before it parses them. ``int()`` alone already reads ``১২``, but ``strptime`` does not
(a due date typed ২০২৬-১২-০১ would be "invalid"), and a phone number kept as typed would not
match the same number typed in ASCII at sign-in.

Which fields: Django's number, date, time and duration fields, any field whose widget is a number,
telephone, date or time input or has ``inputmode`` numeric, decimal or tel, and any field with the
attribute ``accepts_native_digits = True``. Free text (names, passwords, emails) is left as typed.
"""

from django import forms

from .numerals import to_ascii

NUMERIC_FIELDS = (
    forms.IntegerField,  # FloatField and DecimalField are IntegerFields too
    forms.DateField,
    forms.TimeField,
    forms.DateTimeField,
    forms.DurationField,
)
NUMERIC_INPUT_TYPES = frozenset({"number", "tel", "date", "time", "datetime-local", "month", "week"})
NUMERIC_INPUT_MODES = frozenset({"numeric", "decimal", "tel"})


def accepts_native_digits(field: forms.Field) -> bool:
    explicit = getattr(field, "accepts_native_digits", None)
    if explicit is not None:
        return bool(explicit)
    if isinstance(field, NUMERIC_FIELDS):
        return True
    widget = field.widget
    return (
        getattr(widget, "input_type", None) in NUMERIC_INPUT_TYPES
        or widget.attrs.get("inputmode") in NUMERIC_INPUT_MODES
        or widget.attrs.get("type") in NUMERIC_INPUT_TYPES
    )


def ascii_value(value):
    """A submitted value (a string, or the list of a multi-value widget) with ASCII digits."""
    if isinstance(value, str):
        return to_ascii(value)
    if isinstance(value, list | tuple):
        return type(value)(ascii_value(item) for item in value)
    return value


def install() -> None:
    """Wrap ``django.forms.Field.clean`` once (idempotent)."""
    original = forms.Field.clean
    if getattr(original, "native_digits", False):
        return

    def clean(self, value):
        if accepts_native_digits(self):
            value = ascii_value(value)
        return original(self, value)

    clean.native_digits = True
    clean.__doc__ = original.__doc__
    forms.Field.clean = clean
