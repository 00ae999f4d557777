"""Crawl the pages a person can reach by following links, as they would see them in Japanese:
each page is surveyed (screenshots at two widths, axe-core at each) and its visible text is
searched for English the Japanese catalogue translates, or never marked for translation, and for
dates and amounts not written the Japanese way (2026-12-02 for 2026年12月2日, ¥187,000 for
187,000円).

Used by test_crawl.py; the catalogue is read from locale/ja/LC_MESSAGES/django.po itself, so a
msgid without a Japanese msgstr is caught as well as one the page shows untranslated.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

from playwright.sync_api import Page

from .conftest import ARTIFACTS, survey

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MAX_PAGES = 150

# Never followed: signing out, switching language (a POST anyway), the API, Django's admin and
# viewflow's staff frontend (staff only), and the static files.
SKIPPED_PATHS = ("/accounts/logout/", "/i18n/", "/api/", "/admin/", "/staff/", "/static/")
DOWNLOAD_TYPES = ("application/pdf", "text/csv", "application/vnd.openxmlformats", "image/")

# English a Japanese page shows on purpose, with the reason.
ALLOWED_ENGLISH = (
    "Kofu",  # the product's name, in the header and every title
    "JA",  # the language switcher's choices are language codes
    "EN",
    "PDF",  # a file format, as Japanese writes it
    "Google Authenticator",  # authenticator apps the two-factor set-up names
    "Microsoft Authenticator",
)

# Letters, digits and _ around a word make it part of something else (a file name, a code).
WORD_START = r"(?<![A-Za-z0-9_])"
WORD_END = r"(?![A-Za-z0-9_])"
# Two or more English words in a row: text a Japanese page should not show.
ENGLISH_WORDS = re.compile(
    rf"{WORD_START}[A-Za-z][A-Za-z’']+(?:[ \-][A-Za-z][A-Za-z’']*)+{WORD_END}"
)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False


def _po_string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def catalogue_entries(path: Path = CATALOGUE) -> list[Entry]:
    """The entries of a .po file (obsolete ones left out): enough of gettext's format for
    Django's catalogues without a dependency."""
    entries: list[Entry] = []
    entry = Entry()
    key = None
    parts: dict[str, list[str]] = {}

    def close() -> None:
        nonlocal entry, parts
        if "msgid" in parts:
            entry.msgid = _po_string(parts["msgid"])
            entry.msgid_plural = _po_string(parts.get("msgid_plural", []))
            entry.msgstr = [
                _po_string(lines) for name, lines in parts.items() if name.startswith("msgstr")
            ]
            entries.append(entry)
        entry, parts = Entry(), {}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#,"):
            if "msgid" in parts:
                close()
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            parts[key].append(line)
        else:
            key, _, value = line.partition(" ")
            if key == "msgctxt" and "msgid" in parts:
                close()
            parts[key] = [value]
    close()
    return entries


def _letters(text: str) -> int:
    return len(re.findall(r"[A-Za-z]", PLACEHOLDER.sub("", text)))


def english_of_catalogue(path: Path = CATALOGUE) -> dict[str, re.Pattern[str]]:
    """The English msgids a Japanese page must not show: those with a Japanese msgstr other than
    themselves, and those without one (a gap: the page would show the English). A msgid's
    placeholders match anything; it must stand apart from the letters and digits around it."""
    patterns = {}
    for entry in catalogue_entries(path):
        translated = entry.msgstr and entry.msgstr[0] and not entry.fuzzy
        if translated and entry.msgstr[0] == entry.msgid:
            continue  # the same in both languages (a code, a name)
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if _letters(msgid) < 2:
                continue
            pieces = PLACEHOLDER.split(" ".join(msgid.split()))
            body = ".+?".join(r"\s+".join(map(re.escape, piece.split(" "))) for piece in pieces)
            patterns[msgid] = re.compile(rf"{WORD_START}{body}{WORD_END}", re.IGNORECASE)
    return patterns


# The text a person meets on the page, each text node apart, and the names and hints in
# attributes; only what is shown (a select's options count when the select is), in Japanese
# (the nearest lang attribute) and meant to be translated (not inside translate="no", which
# marks codes such as an authenticator's secret), with <details> opened so that their forms
# are read too.
VISIBLE_TEXT = """() => {
    const texts = [document.title];
    const language = (el) => el.closest('[translate=no]') ? ''
        : (el.closest('[lang]')?.getAttribute('lang') || '').toLowerCase();
    const shown = (el) => (el.closest('select') || el).checkVisibility({visibilityProperty: true});
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        const text = node.textContent.replace(/\\s+/g, ' ').trim();
        if (!text || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
        if (shown(el) && language(el).startsWith('ja')) texts.push(text);
    }
    const named = '[aria-label], [title], [placeholder], [alt], input[type=submit], '
        + 'input[type=button]';
    for (const el of document.body.querySelectorAll(named)) {
        if (!shown(el) || !language(el).startsWith('ja')) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            if (el.getAttribute(name)) texts.push(el.getAttribute(name).trim());
        }
        if (el.matches('input[type=submit], input[type=button]')) texts.push(el.value.trim());
    }
    return texts;
}"""

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
LINKS = "(links) => links.filter((a) => !a.hasAttribute('download')).map((a) => a.href)"


def untranslated(
    texts: list[str], catalogue: dict[str, re.Pattern[str]], data: tuple[str, ...] = ()
) -> list[str]:
    """The English among ``texts``: a catalogue msgid shown as it is, or words never marked for
    translation. The allowed English, and ``data`` (text shown as it was entered, such as
    usernames, in their case: "finance" is a username, "Finance" a heading), are taken out
    first."""
    allowed = re.compile(
        WORD_START + "(?:" + "|".join(map(re.escape, [*ALLOWED_ENGLISH, *data])) + ")" + WORD_END
    )
    found = []
    for shown in texts:
        text = allowed.sub(" ", shown)
        hits = [msgid for msgid, pattern in catalogue.items() if pattern.search(text)]
        # the longest msgids found, not the words of them that are msgids too
        hits = [h for h in hits if not any(h.lower() in o.lower() for o in hits if o != h)]
        if hits:
            found.append(f"{shown!r} (msgid {', '.join(map(repr, hits))})")
        elif ENGLISH_WORDS.search(text):
            found.append(f"{shown!r} (English not in the catalogue)")
    return found


# A date as ISO writes it, and an amount with the yen sign before it: a Japanese page writes
# 2026年12月2日 and 187,000円 (web/templatetags/kofu.py, when and yen).
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
YEN_SIGN = re.compile(r"¥\d")


def misformatted(texts: list[str]) -> list[str]:
    """The texts among ``texts`` that show a date in ISO's format or an amount with the yen sign
    before it, each with what was found."""
    found = []
    for text in texts:
        hits = [
            *(f"ISO date {hit!r}" for hit in ISO_DATE.findall(text)),
            *(f"yen sign {hit!r}" for hit in YEN_SIGN.findall(text)),
        ]
        if hits:
            found.append(f"{text!r} ({', '.join(hits)})")
    return found


# the narrowest phone Kofu's pages are made for: nothing may make the page scroll sideways
NARROWEST = 360


def _width_at(page, width: int) -> int:
    """How wide the page's content is with the window ``width`` px wide."""
    original = page.viewport_size
    try:
        page.set_viewport_size({"width": width, "height": 800})
        return page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(original)


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # ISO dates, ¥ before an amount
    too_wide: list[str] = field(default_factory=list)  # pages that scroll sideways at 360 px
    latin: list[str] = field(default_factory=list)  # every text with a Latin letter, to read

    def problems(self) -> str:
        sections = [
            ("Links that do not answer 200", self.broken),
            ("axe-core serious or critical violations", self.axe),
            ("English shown untranslated", self.english),
            ("Dates or amounts not written the Japanese way", self.formats),
            (f"Pages wider than a {NARROWEST} px phone (they scroll sideways)", self.too_wide),
        ]
        return "\n".join(
            f"{title}:\n" + "\n".join(f"  {line}" for line in lines)
            for title, lines in sections
            if lines
        )


def _canonical(url: str) -> str:
    """The URL without its fragment, and without the login page's ``next`` (one login page)."""
    parts = urlsplit(urldefrag(url).url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "next"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _name(who: str, url: str) -> str:
    parts = urlsplit(url)
    slug = "-".join(filter(None, [*parts.path.split("/"), *re.split(r"\W+", parts.query)]))
    return f"crawl-{who}-{slug or 'root'}"


def crawl(
    page: Page,
    origin: str,
    start: list[str],
    who: str,
    *,
    data: tuple[str, ...] = (),
    limit: int = MAX_PAGES,
    path_once: bool = False,
) -> Crawl:
    """Follow every link to ``origin`` from ``start`` breadth-first (GET, up to ``limit``
    pages), surveying each page and reading its text; ``data`` is text the pages show as it was
    entered (a username), not for translation. With ``path_once`` a path is read once whatever
    its query (a list's sort orders, pages and filters are the same page)."""
    origin = urlsplit(origin)
    paths: set[str] = set()
    catalogue = english_of_catalogue()
    result = Crawl()
    queue = deque(start)
    seen: set[str] = set()
    while queue and len(result.pages) < limit:
        url = _canonical(urlsplit(queue.popleft())._replace(scheme="", netloc="").geturl())
        if url in seen or url.startswith(SKIPPED_PATHS):
            continue
        seen.add(url)
        path = urlsplit(url).path
        if path_once and path in paths:
            continue
        paths.add(path)
        # asked for first, so that a download is counted and never opened as a page
        response = page.request.get(url)
        content_type = response.headers.get("content-type", "")
        if "attachment" in response.headers.get("content-disposition", "") or (
            content_type.startswith(DOWNLOAD_TYPES)
        ):
            result.downloads.append(url)
            continue
        if response.status != 200:
            result.broken.append(f"{url}: {response.status}")
            continue
        page.goto(url)
        landed = _canonical(page.url)
        here = urlsplit(landed)._replace(scheme="", netloc="").geturl()
        if here != url and here in seen:
            continue  # redirected to a page already read
        seen.add(here)
        result.pages.append(here)
        page.evaluate(OPEN_DETAILS)
        result.axe += survey(page, _name(who, here))
        width = _width_at(page, NARROWEST)
        if width > NARROWEST:
            result.too_wide.append(f"{here}: {width} px")
        texts = page.evaluate(VISIBLE_TEXT)
        result.english += [f"{here}: {text}" for text in untranslated(texts, catalogue, data)]
        result.formats += [f"{here}: {text}" for text in misformatted(texts)]
        result.latin += [f"{here}: {text}" for text in texts if re.search("[A-Za-z]", text)]
        for link in page.eval_on_selector_all("a[href]", LINKS):
            parts = urlsplit(link)
            if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc):
                queue.append(link)
    # for a person to read through: the Latin letters each page shows
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"crawl-{who}-latin.txt").write_text("\n".join(result.latin) + "\n")
    return result
