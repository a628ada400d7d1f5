"""One field of an allauth form in our look, labelled in our words.

allauth's fields carry Title Case labels ("New Password") and repeat them as
placeholders inside the box, where they would still read in allauth's words
next to our label. The tag renders the input without the placeholder and
with the label the template gives (translated in our own catalogue)."""

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("account/includes/field.html")
def account_field(field: BoundField, label: str = "") -> dict[str, Any]:
    """The field's errors, its label (ours, else the form's) without a
    colon, the input (help text and errors tied to it by Django's
    aria-describedby) and its help text."""
    return {
        "field": field,
        "label": label or field.label,
        # False leaves the attribute out of Django's widget markup.
        "input": field.as_widget(attrs={"placeholder": False}),
        "is_captcha": field.name == "captcha",
        "is_checkbox": getattr(field.field.widget, "input_type", "") == "checkbox",
    }
