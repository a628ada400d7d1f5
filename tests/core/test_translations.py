"""Shoppers read one voice per language, also on the pages and emails that are
django-allauth's own. Our German addresses customers as "Sie"; where allauth's
wording is off for our shoppers (German "du", "token", Title Case, "epost",
split Dutch compounds, ...), shop_accounts/locale_allauth/<lang> rewords it.
The checks below run over our own catalogue and over allauth's texts as our
pages show them (so with our rewordings applied)."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shop_accounts.core.outbox import deliver_due_emails

LANGUAGES = ("de", "nl", "nb", "it")
ALLAUTH_LOCALE = Path(allauth.__file__).parent / "locale"
OUR_LOCALE = settings.BASE_DIR / "shop_accounts" / "locale"
OUR_ALLAUTH_LOCALE = settings.BASE_DIR / "shop_accounts" / "locale_allauth"
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir|euch|euer)\b", re.IGNORECASE)
# "Bitte kontaktiere uns" says "du" without the word: the imperatives and verb
# forms allauth's German uses (lower case: "Versuche" may be a noun).
INFORMAL_VERBS = re.compile(
    r"\b(kontaktiere|versuche|wähle|bestätige|klicke|gib|melde|prüfe|gehe|öffne|folge|"
    r"trage|sende|nutze|verwende|ändere|füge|richte|scanne|speichere|bewahre|erstelle|"
    r"entferne|aktiviere|logge|setze|schau|sieh|lass|hast|bist|kannst|musst|willst|"
    r"möchtest|wirst|solltest|darfst)\b"
)
# allauth's texts for parts of it we do not use (social accounts, the
# headless API, the identity provider) never reach a shopper.
UNUSED_PARTS_OF_ALLAUTH = ("socialaccount", "headless", "idp")

TOKEN = re.compile(r"\btoken", re.IGNORECASE)
# allauth's catalogues leave a few English words behind ("You kunt ...").
ENGLISH = (re.compile(r"\b(you|your|the|please)\b", re.IGNORECASE), "an English word")
# Per language, what a shopper must not read: a pattern and why.
FORBIDDEN: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "de": [
        ENGLISH,
        (INFORMAL, 'we say "Sie", not "du"'),
        (INFORMAL_VERBS, 'we say "Sie", not "du"'),
        (TOKEN, 'a shopper reads "Link", not "Token"'),
    ],
    "nl": [
        ENGLISH,
        (TOKEN, 'a shopper reads "link", not "token"'),
        (re.compile(r"\bafmeld(en|t)\b", re.IGNORECASE), 'signing out is "uitloggen"'),
        (
            re.compile(
                r"\b(e-?mail|verificatie|wachtwoord)\s+(verificatie|link|verzoek|code|e-?mail|adres)"
                r"|\w{3}ings\s+e-?mail|\bvergeten\s+procedure|\bauthenticator\s+(code|app)\b",
                re.IGNORECASE,
            ),
            'a Dutch compound is one word ("e-mailverificatielink", "verificatieverzoek",'
            ' "e-mailadres", "bevestigingsmail")',
        ),
        (re.compile(r"\be-email", re.IGNORECASE), "a typo"),
        (re.compile(r"(?<![-\w{(])email\b", re.IGNORECASE), 'Dutch writes "e-mail"'),
    ],
    "nb": [
        ENGLISH,
        (TOKEN, 'a shopper reads "lenke", not "token"'),
        (re.compile(r"\b(epost|e-mail)", re.IGNORECASE), 'we say "e-post"'),
        # "e-postadresse", "bekreftelses-e-post": never "E-post-adresse" or
        # "bekreftelsese-post".
        (re.compile(r"\be-post-(?!\s)\w|[^\W\d_]e-post", re.IGNORECASE), 'we write "e-post…"'),
        (re.compile(r"(?<![(_])link(en|er|ene)?\b", re.IGNORECASE), 'a shopper reads "lenke"'),
        (re.compile(r"\bsikker at\b", re.IGNORECASE), 'it is "Er du sikker på at …"'),
        (
            re.compile(r"\bglemt (ditt |det |dine? )?passord(?!et\?)", re.IGNORECASE),
            '"Forgot your password?" is "Glemt passordet?" everywhere',
        ),
    ],
    "it": [
        ENGLISH,
        (TOKEN, 'a shopper reads "link", not "token"'),
        (
            # "Ti diamo il benvenuto" welcomes anyone.
            re.compile(
                r"\b(car[oaie]|gentil\w* sig\w*|egregi\w*|(?<!il )benvenut[oaie])\b", re.IGNORECASE
            ),
            "a greeting must not assume the customer's gender",
        ),
    ],
}

# Languages that write in sentence case: after a sentence's first word, a
# capital is a name, an abbreviation or the start of a quoted label.
SENTENCE_CASE = ("nl", "nb", "it")
NAMES = {
    "nl": {"Mijn", "Accounts", "Turnstile"},
    "nb": {"Min", "Accounts", "Turnstile", "Norge"},
    "it": {"Accounts", "Turnstile", "Camera", "Commercio"},
}
ABBREVIATION = re.compile(r"^[A-Z0-9]{2,}s?(-\w+)?$")
ALWAYS_CAPITALISED = {"Google", "Apple", "Microsoft", "Android", "Windows", "JavaScript"}
# Where a new sentence (or a quoted label) begins.
SENTENCE_START = re.compile(r"[.!?:;«»“”‘’\"(\n]|\s[-–—]\s")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{[^}]*\}")


def title_case_words(language: str, text: str) -> list[str]:
    """The words of `text` that are capitalised mid-sentence for no reason."""
    found = []
    for sentence in SENTENCE_START.split(PLACEHOLDER.sub("x", text)):
        for word in re.findall(r"\w[\w'’-]*", sentence)[1:]:
            if (
                word[0].isupper()
                and not ABBREVIATION.match(word)
                and word not in ALWAYS_CAPITALISED
                and word not in NAMES[language]
            ):
                found.append(word)
    return found


def problems(language: str, msgid: str, text: str) -> list[str]:
    """What is wrong with `text`, the `language` wording of `msgid`."""
    found = [f"{why}: {text!r}" for pattern, why in FORBIDDEN[language] if pattern.search(text)]
    if text.count('"') > msgid.count('"'):
        found.append(f"a stray quote: {text!r}")
    if language in SENTENCE_CASE and (words := title_case_words(language, text)):
        found.append(f"Title Case ({', '.join(words)}) instead of sentence case: {text!r}")
    return found


def entries(po_file: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(po_file)) if not entry.obsolete]


def msgids(po_file: Path) -> set[str]:
    return {entry.msgid for entry in entries(po_file)}


def shown_by_allauth(language: str) -> list[polib.POEntry]:
    """allauth's texts our shoppers can meet: those of the parts we use."""
    return [
        entry
        for entry in entries(ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po")
        if any(
            not any(part in path for part in UNUSED_PARTS_OF_ALLAUTH)
            for path, _line in entry.occurrences
        )
    ]


def as_shown(entry: polib.POEntry) -> list[str]:
    """The wording a shopper reads for `entry`, in the active language, with
    every catalogue of LOCALE_PATHS applied (ours win over allauth's)."""
    if entry.msgid_plural:
        return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2, 5)]
    if entry.msgctxt:
        return [translation.pgettext(entry.msgctxt, entry.msgid)]
    return [translation.gettext(entry.msgid)]


def rewordings(language: str) -> list[str]:
    po_file = OUR_ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po"
    return sorted(msgids(po_file)) if po_file.exists() else []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rewording_still_matches_a_text_of_allauth(language):
    ours = set(rewordings(language))
    assert ours
    assert ours - msgids(ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po") == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_our_wording_wins_over_allauths(language):
    po_file = OUR_ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po"
    # Our own catalogue comes first in LOCALE_PATHS: its wording of a text our
    # templates use too wins (and is checked below with the rest of it).
    in_our_own = msgids(OUR_LOCALE / language / "LC_MESSAGES" / "django.po")
    with translation.override(language):
        lost = [
            entry.msgid
            for entry in entries(po_file)
            if entry.msgid not in in_our_own and as_shown(entry) != [entry.msgstr]
        ]
    assert lost == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_allauths_texts_as_our_shoppers_read_them(language):
    with translation.override(language):
        found = [
            problem
            for entry in shown_by_allauth(language)
            for text in as_shown(entry)
            for problem in problems(language, entry.msgid, text)
        ]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_our_own_catalogue_reads_right(language):
    found = [
        problem
        for entry in entries(OUR_LOCALE / language / "LC_MESSAGES" / "django.po")
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        for problem in problems(language, entry.msgid, text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("language", "wrong"),
    [
        ("de", "Falls du deinen Anmeldenamen vergessen hast"),
        ("de", '- Datum: %(timestamp)s"'),
        ("de", "Falsches Token"),
        ("de", "Bitte kontaktiere uns, wenn das Zurücksetzen des Passworts nicht klappt."),
        ("nl", "Weet je zeker dat je wilt afmelden?"),
        ("nl", "Deze e-mail verificatie link is verlopen"),
        ("nl", "nieuw e-mail verificatie verzoek"),
        ("nb", "Er du sikker at du ønsker å logge ut?"),
        ("nb", "Du kan ikke legge til mer enn %d epostadresser."),
        ("nb", "Glemt ditt passord?"),
        ("nb", "Endre Passord"),
        ("nb", "Bekreftelsese-post er sendt til %(email)s."),
        ("nb", "Fyll inn E-post-adresse"),
        ("nb", "Passordgjenopprettelseslinken er ugyldig"),
        ("nb", "Klikk på linken nedenfor"),
        ("nl", "met dit e-mail adres:"),
        ("nl", "You kunt je primaire e-mailadres niet verwijderen."),
        ("nl", "Huidig email"),
        ("nl", "Authenticator code"),
        ("nl", "Bevestigings e-mail verzonden aan %(email)s."),
        ("nl", "gebruik dan de wachtwoord vergeten procedure"),
        ("it", "Inserisci il Codice di Verifica"),
        ("it", "Gentile Signora %(name)s,"),
        ("it", "Benvenuto!"),
        ("it", "Token non valido"),
    ],
)
def test_the_checks_catch_what_allauth_got_wrong(language, wrong):
    # Each of these was on a page or in an email once: the checks above
    # would have caught it.
    assert problems(language, wrong.replace('"', ""), wrong)


def test_the_checks_leave_right_wording_alone():
    assert problems("nb", "Forgot your password?", "Glemt passordet?") == []
    assert problems("nl", "Sign Out", "Uitloggen") == []
    assert problems("it", "Hello %(name)s,", "Ciao %(name)s,") == []
    assert problems("it", "Welcome", "Ti diamo il benvenuto") == []
    assert problems("nl", "x", "Open deze link en klik op ‘Bevestigen’:") == []


def test_the_german_password_reset_email_says_sie(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com", language="de")

    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    text = smtp_sink.text_of(message)
    assert "Sie erhalten diese E-Mail" in text
    assert not INFORMAL.search(text), text


def test_the_german_sign_out_page_says_sie(store, make_account_holder):
    client = Client()
    client.force_login(make_account_holder(store, "anna@example.com", language="de"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    page = client.get(reverse("account_logout")).content.decode()

    assert "Möchten Sie sich wirklich abmelden?" in page


# The used or broken reset link says so in plain words (templates/account/
# password_reset_from_key.html), no "token".
BAD_LINK_HEADING = {
    "de": "Dieser Link kann nicht mehr verwendet werden",
    "nl": "Deze link kan niet meer worden gebruikt",
    "nb": "Denne lenken kan ikke brukes lenger",
    "it": "Questo link non può più essere usato",
}


def visible_text(html: str) -> str:
    body = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_pages_read_right(store, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    bad_link = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad"})

    request_page = client.get(reverse("account_reset_password"))
    done_page = client.get(reverse("account_reset_password_done"))
    bad_link_page = client.get(bad_link)

    assert f"<h1>{BAD_LINK_HEADING[language]}</h1>" in re.sub(
        r"\s*(<h1>|</h1>)\s*", r"\1", bad_link_page.content.decode()
    )
    for page in (request_page, done_page, bad_link_page):
        assert page.status_code == 200
        text = visible_text(page.content.decode())
        found = [why for pattern, why in FORBIDDEN[language] if pattern.search(text)]
        assert found == [], text


def test_the_dutch_and_norwegian_sign_out_pages(store, make_account_holder):
    asked = {}
    for language in ("nl", "nb"):
        client = Client()
        client.force_login(make_account_holder(store, f"{language}@example.com", language=language))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        asked[language] = visible_text(client.get(reverse("account_logout")).content.decode())

    assert "Weet je zeker dat je wilt uitloggen?" in asked["nl"]
    assert "Er du sikker på at du vil logge ut?" in asked["nb"]
