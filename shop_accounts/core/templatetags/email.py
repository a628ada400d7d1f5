"""Tags of email body templates (core.email_layout): the one button of an
email and the message a merchant may reword per store and language."""

from datetime import datetime
from typing import Any

from django import template
from django.template.base import NodeList, Parser, Token
from django.utils import formats, timezone

from shop_accounts.core.email_layout import button_marker

register = template.Library()

# The context keys the renderer (core.outbox.render_email) fills in.
OWN_MESSAGE = "own_message"
DEFAULT_CAPTURE = "_default_message"


@register.simple_tag
def email_button(url: Any, label: Any) -> str:
    """The email's button: a link with a label in the HTML part, the bare
    link in the text part. Write it as a paragraph of its own."""
    return button_marker(str(url), str(label))


class EditableMessageNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        default = self.nodelist.render(context).strip()
        capture = context.get(DEFAULT_CAPTURE)
        if isinstance(capture, list):
            capture.append(default)
        own = context.get(OWN_MESSAGE)
        return str(own).strip() if own else default


@register.tag
def editable_message(parser: Parser, token: Token) -> EditableMessageNode:
    """The email's message: the shop's default text inside the tag, replaced
    by the merchant's own message for the store and language where there is
    one (stores.EmailText). Links, codes and security facts stay outside."""
    nodelist = parser.parse(("endeditable_message",))
    parser.delete_first_token()
    return EditableMessageNode(nodelist)


@register.filter
def email_datetime(value: Any) -> str:
    """A moment as an email says it, in the active language and the
    installation's time zone, named: "2. Dezember 2026, 14:05 CET". Never
    ends in a period, so a sentence around it gets no "..". Not a datetime:
    shown as it is."""
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    day = formats.date_format(moment, "DATE_FORMAT")
    return f"{day}, {moment:%H:%M} {moment.tzname() or ''}".strip()
