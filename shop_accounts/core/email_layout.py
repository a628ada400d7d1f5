"""One source per email, two parts: the text part and the HTML part are both
built from the plain text an email's body template renders.

A body template renders plain text (autoescape off): paragraphs separated by
a blank line, at most one button (`{% email_button url label %}` from the
`email` template library) and the merchant-editable message
(`{% editable_message %}…{% endeditable_message %}`). The text part is that
text with the button as its bare link; the HTML part escapes each paragraph,
draws the button in the store's colour and puts it all in one fixed layout
(header with logo or shop name, body, footer with the shop's name, address
and why the email came), with the CSS inlined by css-inline so Gmail and
Outlook, which drop <style> blocks, keep it.
"""

import re
from dataclasses import dataclass, field

import css_inline
from django.template.loader import render_to_string
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

# Private-use characters no email text holds: the button, as the body
# template renders it, until the two parts are built.
BUTTON_START, BUTTON_SEPARATOR, BUTTON_END = "\ue000", "\ue001", "\ue002"
_BUTTON = re.compile(f"{BUTTON_START}(.*?){BUTTON_SEPARATOR}(.*?){BUTTON_END}", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
DEFAULT_COLOUR = "#1f4e79"


@dataclass(frozen=True)
class Branding:
    """What the layout shows of the sender: colour, logo, name and address."""

    shop_name: str = ""
    colour: str = DEFAULT_COLOUR
    logo_url: str = ""
    address: str = ""
    web_address: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph of the body, or its button (a link with a label)."""

    text: str = ""
    url: str = ""
    label: str = ""

    @property
    def is_button(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class EmailParts:
    text: str
    html: str
    blocks: list[Block] = field(default_factory=list)


def button_marker(url: str, label: str) -> str:
    """The button as a body template writes it (see the `email` tags)."""
    return f"{BUTTON_START}{url}{BUTTON_SEPARATOR}{label}{BUTTON_END}"


def blocks_of(text: str) -> list[Block]:
    """The rendered body as paragraphs; a paragraph that is only a button
    becomes the button (the first only: an email has at most one)."""
    blocks: list[Block] = []
    has_button = False
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        paragraph = "\n".join(line.rstrip() for line in paragraph.splitlines()).strip()
        if not paragraph:
            continue
        match = _BUTTON.fullmatch(paragraph)
        if match and not has_button:
            has_button = True
            blocks.append(Block(url=match.group(1).strip(), label=match.group(2).strip()))
        else:
            blocks.append(Block(text=paragraph))
    return blocks


def text_of(blocks: list[Block], *, branding: Branding, reason: str) -> str:
    """The text part: paragraphs, a button as its bare link on its own, and
    the footer the HTML part has, below the usual "-- " signature line."""
    paragraphs = [
        block.url if block.is_button else _BUTTON.sub(lambda m: m.group(1), block.text)
        for block in blocks
    ]
    sender = "\n".join(
        line for line in (branding.shop_name, branding.address, branding.web_address) if line
    )
    footer = "\n\n".join(part for part in (sender, reason) if part)
    if footer:
        paragraphs.append(f"-- \n{footer}")
    return "\n\n".join(paragraphs) + "\n"


def _paragraph_html(text: str) -> SafeString:
    """One paragraph, escaped, its links clickable, its line breaks kept."""
    pieces: list[str] = []
    position = 0
    for match in _BUTTON.finditer(text):
        pieces.append(urlize(text[position : match.start()], autoescape=True))
        pieces.append(f'<a href="{escape(match.group(1))}">{escape(match.group(2))}</a>')
        position = match.end()
    pieces.append(urlize(text[position:], autoescape=True))
    return mark_safe("".join(pieces).replace("\n", "<br>"))  # noqa: S308 (escaped above)


def _readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (WCAG
    relative luminance; a store colour is a validated #rrggbb)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def html_of(
    blocks: list[Block], *, subject: str, branding: Branding, reason: str, language: str
) -> str:
    """The HTML part: the blocks in the fixed layout, CSS inlined."""
    colour = (
        branding.colour if re.fullmatch(r"#[0-9a-fA-F]{6}", branding.colour) else DEFAULT_COLOUR
    )
    html = render_to_string(
        "core/emails/layout.html",
        {
            "subject": subject,
            "language": language,
            "branding": branding,
            "colour": colour,
            "on_colour": _readable_on(colour),
            "blocks": [
                {"button": block} if block.is_button else {"html": _paragraph_html(block.text)}
                for block in blocks
            ],
            "reason": reason,
        },
    )
    return css_inline.inline(html)


def build_parts(
    rendered_body: str, *, subject: str, branding: Branding, reason: str, language: str
) -> EmailParts:
    """Both parts of an email from its rendered body text."""
    blocks = blocks_of(rendered_body)
    return EmailParts(
        text=text_of(blocks, branding=branding, reason=reason),
        html=html_of(blocks, subject=subject, branding=branding, reason=reason, language=language),
        blocks=blocks,
    )


def placeholders_in(text: str) -> set[str]:
    """The {placeholders} a merchant's text uses."""
    return set(_PLACEHOLDER.findall(text))


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Put the values into a merchant's text; an unknown {name} stays as
    written (texts are checked for them when saved)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
