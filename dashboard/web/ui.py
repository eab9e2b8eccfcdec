"""Layout shared by every page: the sidebar filters, and a chart with its numbers under it.

The filter widgets live in the entry point and are bound to the URL's query string, so they
apply to every page, survive moving between pages, and a copied link reopens the same view.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any
from zoneinfo import available_timezones

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.coding import typical
from dashboard.coding.codebook import Codebook
from dashboard.definition.consultation import Consultation
from dashboard.protection import perturbation, privacy
from dashboard.publish import render, report, style, word
from dashboard.publish.catalogue import (
    BY_SLUG,
    HEADINGS,
    NO_CODE_LABEL,
    Context,
    answer_language_label,
    code_labels,
    language_label,
)
from dashboard.publish.catalogue import (
    heading as column_heading,
)
from dashboard.publish.exports import csv_bytes, xlsx_bytes
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import N_, _, ngettext
from dashboard.store import database
from dashboard.store.queries import NO_CODE, Filters
from dashboard.web import data, roles
from dashboard.web.access import Access

# Plotly fetches map geometry from a CDN unless told where it is: the app serves it itself.
# No camera button: its PNG would bypass the role check, the audit log and the caption that
# every download carries (ui.downloads is the one way to take a chart away).
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["toImage"],
}
COMMON_ZONES = (
    "UTC",
    "Europe/Zurich",
    "America/New_York",
    "America/Bogota",
    "Africa/Nairobi",
    "Africa/Dakar",
    "Asia/Bangkok",
    "Asia/Beirut",
    "Asia/Shanghai",
    "Europe/Moscow",
    "Pacific/Fiji",
)
VIEW_KEY = "_view"
LANGUAGE_KEY = "lang"
LOCAL_ADMIN = Access(who="local", role="admin", signed_in=False)


@dataclass(frozen=True)
class View:
    """The consultation and filters in force for this run of the page."""

    consultation: Consultation
    filters: Filters
    version: tuple
    access: Access = LOCAL_ADMIN
    exact: bool = False  # an admin chose exact figures on screen
    exact_downloads: bool = False  # an admin chose exact figures in files, too
    raw_text: bool = False  # an admin chose answers as written, not redacted

    def table(self, name: str, **extra: Any) -> pd.DataFrame:
        return data.table(
            self.version, name, self.consultation.id, self.filters, tuple(sorted(extra.items()))
        )

    def cells(self, name: str, **extra: Any) -> pd.DataFrame:
        """Like `table`, with cells of fewer than k respondents hidden (unless an admin chose
        exact figures): their counts are missing and a `suppressed` column says which."""
        return data.protected_table(
            self.version,
            name,
            self.consultation.id,
            self.filters,
            tuple(sorted(extra.items())),
            1 if self.exact else self.consultation.suppression_k,
        )

    def totals(self) -> perturbation.Totals:
        """Respondents and responses as released: exact without filters (or for an admin's
        exact figures), perturbed under filters, None for fewer than k."""
        return data.released_totals(
            self.version,
            self.consultation.id,
            self.filters,
            1 if self.exact else self.consultation.suppression_k,
        )

    def count(self, value: object, respondents: object = None) -> str:
        """A single figure as shown: "< k" when it counts (or comes from) fewer than k people;
        written as the language in force writes numbers."""
        k = self.consultation.suppression_k
        people = value if respondents is None else respondents
        if pd.isna(value) or (not self.exact and 0 < int(people) < k):
            return f"< {k}"
        return i18n.number(int(value))

    def theme_labels(self) -> dict[str, str]:
        return self.context().theme_labels()

    def code_labels(self) -> dict[str, str]:
        """The codebook's codes by their labels in the language in force (no "No code")."""
        return code_labels(self.codebook)

    def question_text(self, question_id: str) -> str:
        return self.context().question_text(question_id)

    @property
    def codebook(self) -> Codebook:
        return data.codebook(self.version, self.consultation.id)

    def context(self) -> Context:
        """What files and captions say about this view (consultation, filters, codes)."""
        return Context(self.consultation, self.filters, self.codebook)

    def audit_filters(self) -> str:
        """The filters in force as the audit log records them: in English, whatever the
        language of the page."""
        with i18n.using("en"):
            return self.context().filter_text(named=False)


def column_labels() -> dict[str, str]:
    """Headings of a table's raw columns, in the language in force."""
    return {column: column_heading(column) for column in HEADINGS}


# ---- the language ----------------------------------------------------------------------------


def choose_language() -> str:
    """The language selector, first in the sidebar; the choice is kept in the address
    (`?lang=fr`), so a copied link opens in the same language. Without one, the browser's
    language when it is one of the six, else English. Makes the choice the language in force
    for the rest of the run and returns it."""
    state = st.session_state
    if LANGUAGE_KEY not in state:
        state[LANGUAGE_KEY] = i18n.negotiate(st.query_params.get(LANGUAGE_KEY), _browser_language())
    lang = st.sidebar.selectbox(
        _("Interface language"),
        i18n.LANGUAGES,
        icon=":material/translate:",
        format_func=i18n.NATIVE_NAMES.get,
        key=LANGUAGE_KEY,
    )
    i18n.activate(lang)
    st.query_params[LANGUAGE_KEY] = lang
    return lang


def _browser_language() -> str | None:
    try:
        return st.context.locale
    except Exception:  # no browser (a test) or an older Streamlit: English
        return None


def language_from_address() -> str:
    """The language before the selector is drawn (sign-in pages): the session's, the
    address's, the browser's, else English."""
    return i18n.negotiate(
        st.session_state.get(LANGUAGE_KEY), st.query_params.get(LANGUAGE_KEY), _browser_language()
    )


# ---- filters kept in the address -------------------------------------------------------------


def _from_address(key: str, options: list, format_func: Callable[[Any], str]) -> list:
    """The options the page's address chooses for `key`: by id (`?country=FRA`), or, for
    links made before ids were used, by the English label (`?country=France`)."""
    wanted = st.query_params.get_all(key)
    if not wanted:
        return []
    with i18n.using("en"):
        by_label = {str(format_func(option)): option for option in options}
    by_id = {str(option): option for option in options}
    found = [by_id.get(w, by_label.get(w)) for w in wanted]
    return list(dict.fromkeys(f for f in found if f is not None))


def bound(
    widget: Callable[..., Any],
    label: str,
    options: list,
    *,
    key: str,
    format_func: Callable[[Any], str] = str,
    multiple: bool = False,
    initial: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """A choice kept in the page's address by its id (a country's ISO code, a theme's id),
    shown by its label in the language in force, so that a link works in every language.

    (Streamlit's own binding writes the shown label into the address.) The address seeds the
    widget on a session's first run; every run writes the choice back. `initial` holds the
    widget's own default arguments, given only while the session has no value yet."""
    state = st.session_state
    if key not in state and key in st.query_params:
        chosen = _from_address(key, options, format_func)
        if multiple:
            state[key] = chosen
        elif chosen:
            state[key] = chosen[0]
    if key not in state:
        kwargs.update(initial or {})
    value = widget(label, options, key=key, format_func=format_func, **kwargs)
    values = [] if value is None else list(value) if multiple else [value]
    if values:
        st.query_params[key] = [str(v) for v in values]
    elif key in st.query_params:
        del st.query_params[key]
    return value


def account_box(who: Access) -> None:
    if not who.signed_in:
        # The page's own banner says what local administrator mode means; one line here.
        st.sidebar.caption(_("Local administrator (no sign-in)"))
        return
    st.sidebar.caption(
        _("Signed in as {who} ({role})").format(
            who=i18n.isolate(who.who), role=_(ROLE_NAMES.get(who.role, who.role))
        )
    )
    st.sidebar.button(_("Sign out"), on_click=st.logout, key="sign-out")


def sign_in_page() -> None:
    page_css()
    st.title(_("Consultation dashboard"))
    st.write(_("Sign in with your organisation's account to see the consultation results."))
    st.button(_("Sign in"), type="primary", on_click=st.login, key="sign-in")


def no_role_page(who: Access) -> None:
    page_css()
    st.title(_("Consultation dashboard"))
    st.error(
        _(
            "You are signed in as {who}, but this dashboard gives that account no role. "
            "Ask an administrator to add you to the roles file."
        ).format(who=i18n.isolate(who.who))
    )
    st.button(_("Sign out"), on_click=st.logout, key="sign-out")


def _audit_toggle(who: Access, key: str, action: str, consultation_id: str) -> None:
    if st.session_state.get(key):
        filters = {"filters": st.session_state.get("_filters")}
        guarded(data.audit)(who.who, action, consultation_id, filters)


def filter_widgets(
    version: tuple, ids: list[str], prefix: str = "", first: str | None = None
) -> tuple[str, Filters]:
    """The filters' widgets, in the container in force (the sidebar, or a segment of the
    Compare page, whose keys carry a `prefix`): the consultation and a `Filters` (in UTC; the
    caller sets the time zone). One definition, so a segment is the sidebar's filter exactly.
    `first`: the consultation chosen until the address or the reader chooses one."""
    titles = {c: data.consultation(version, c).display_title() for c in ids}
    consultation_id = bound(
        st.selectbox,
        _("Consultation"),
        ids,
        key=prefix + "consultation",
        format_func=lambda c: titles.get(c) or c,
        initial={"index": ids.index(first)} if first in ids else None,
    )
    consultation = data.consultation(version, consultation_id)
    options = data.filter_options(version, consultation_id)

    def choices(field: str) -> tuple[list[str], dict[str, str]]:
        rows = options[options["field"] == field]
        return rows["value"].tolist(), dict(zip(rows["value"], rows["label"], strict=True))

    date_from = st.date_input(
        _("From"), value=None, key=prefix + "from", bind="query-params", format="YYYY-MM-DD"
    )
    date_to = st.date_input(
        _("To"), value=None, key=prefix + "to", bind="query-params", format="YYYY-MM-DD"
    )
    regions, _region_names = choices("region")
    region = bound(
        st.multiselect,
        _("Region (M49)"),
        regions,
        key=prefix + "region",
        multiple=True,
        placeholder=_("Choose options"),
        format_func=geo.place_name,
    )
    countries, country_names = choices("country")
    country = bound(
        st.multiselect,
        _("Country"),
        countries,
        key=prefix + "country",
        multiple=True,
        placeholder=_("Choose options"),
        format_func=lambda c: geo.country_name(c, country_names.get(c, c)),
    )
    languages, _language_codes = choices("language")
    language = bound(
        st.multiselect,
        _("Language"),
        languages,
        key=prefix + "language",
        multiple=True,
        placeholder=_("Choose options"),
        format_func=language_label,
    )
    answer_language = bound(
        st.multiselect,
        _("Language of the answer"),
        data.answer_language_options(version, consultation_id),
        key=prefix + "answer-language",
        multiple=True,
        placeholder=_("Choose options"),
        format_func=answer_language_label,
        help=_(
            "The language each answer is written in, detected by the dashboard (answers "
            "under 20 characters, or in no clear language, are not detected); not the "
            "language the respondent declared."
        ),
    )
    themes = [t.id for t in consultation.themes]
    theme_labels = {t.id: t.labels for t in consultation.themes}
    theme = bound(
        st.multiselect,
        _("Theme"),
        themes,
        key=prefix + "theme",
        multiple=True,
        placeholder=_("Choose options"),
        format_func=lambda t: i18n.pick(theme_labels.get(t, {}), t),
    )
    codebook = data.codebook(version, consultation_id)
    labels = {c.id: c.labels for c in codebook.codes}
    code = bound(
        st.multiselect,
        _("Code"),
        [*labels, NO_CODE] if codebook.codes else [],
        key=prefix + "code",
        multiple=True,
        format_func=lambda c: _(NO_CODE_LABEL) if c == NO_CODE else i18n.pick(labels.get(c, {}), c),
        help=_(
            "Answers carrying any of these codes (from the codebook's keywords or analysts' tags)."
        ),
        disabled=not codebook.codes,
        placeholder=_("Choose options") if codebook.codes else _("No codebook yet"),
    )
    stakeholders, _stakeholder_names = choices("stakeholder_type")
    stakeholder = bound(
        st.multiselect,
        _("Stakeholder type"),
        stakeholders,
        key=prefix + "stakeholder",
        multiple=True,
        placeholder=_("Choose options"),
    )
    return consultation_id, Filters(
        regions=tuple(region),
        countries=tuple(country),
        languages=tuple(language),
        stakeholder_types=tuple(stakeholder),
        themes=tuple(theme),
        codes=tuple(code),
        answer_languages=tuple(answer_language),
        date_from=date_from if isinstance(date_from, date) else None,
        date_to=date_to if isinstance(date_to, date) else None,
    )


def sidebar(who: Access = LOCAL_ADMIN) -> View | None:
    """Draw the filters (in the entry point) and remember the view for the page."""
    version = data.version()
    ids = data.consultation_ids(version)
    if not ids:
        st.session_state.pop(VIEW_KEY, None)
        return None
    with st.sidebar:
        st.header(_("Filters"))
        consultation_id, chosen = filter_widgets(version, ids)
        consultation = data.consultation(version, consultation_id)
        zones = [consultation.timezone, *(z for z in COMMON_ZONES if z != consultation.timezone)]
        zones += sorted(available_timezones() - set(zones))
        zone = st.selectbox(
            _("Time zone"), zones, key="tz", bind="query-params", help=_("Moves days and hours.")
        )
    exact = exact_downloads = raw_text = False
    if who.can("admin"):
        with st.sidebar.expander(_("Administrator")):
            st.caption(_("Each choice below is written to the audit log."))
            exact = st.toggle(
                _("Exact figures on screen"), key="exact", on_change=_audit_toggle,
                args=(who, "exact", "exact_figures_on_screen", consultation_id),
            )  # fmt: skip
            exact_downloads = st.toggle(
                _("Exact figures in downloads"), key="exact-downloads", on_change=_audit_toggle,
                args=(who, "exact-downloads", "exact_figures_in_downloads", consultation_id),
            )  # fmt: skip
            raw_text = st.toggle(
                _("Answers as written (not redacted)"), key="raw-text", on_change=_audit_toggle,
                args=(who, "raw-text", "raw_answers_on_screen", consultation_id),
            )  # fmt: skip
    view = View(
        access=who,
        exact=exact,
        exact_downloads=exact_downloads,
        raw_text=raw_text,
        consultation=consultation,
        filters=replace(chosen, timezone=zone),
        version=version,
    )
    st.session_state[VIEW_KEY] = view
    st.session_state["_filters"] = view.audit_filters()
    return view


def current_view() -> View:
    """The view the entry point prepared; a page stops with a message when there is none."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        page_css()
        st.title(_("Consultation dashboard"))
        st.info(
            _(
                "The store holds no consultation yet. Create one on the Consultations page (or "
                "with `python -m dashboard consultation add FILE.toml`), then import its exports."
            )
        )
        st.stop()
    return view


# Streamlit reads Markdown (and emoji and icon shortcodes, and $ for maths) in titles,
# captions, alerts, st.markdown and st.table cells. A backslash before a punctuation mark makes
# Markdown show the mark itself. Only marks that could start something are escaped, so ordinary
# text ("< 5", "09:00", "online_harassment", "(SSA)") reads, and is tested, unchanged: `[`
# (links and images), `<` before a letter (HTML, autolinks), `&` before an entity, `:` before a
# letter or `/` (shortcodes, URLs), `$`, `*`, `~`, backticks, `|`, a backslash, `_` outside a
# word, `www.`, and block markers at the start of a line.
_MARKDOWN_INLINE = re.compile(
    r"([\\`*\[\]{}|~$])|(<(?=[A-Za-z/!?]))|(&(?=[#A-Za-z]))|(:(?=[A-Za-z/]))"
    r"|((?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))"
)
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=])", re.MULTILINE)
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
# Streamlit links bare URLs, `www.` names and e-mail addresses after Markdown is parsed, on
# the text itself, where a backslash no longer stands: an invisible word joiner (U+2060) after
# "://", "www" and "@" keeps them from being recognised, and they read the same.
_AUTOLINKED = re.compile(r"(?i)(://|\bwww(?=\.)|@(?=\w))")
WORD_JOINER = "\u2060"
PAGE_CSS = (
    # A 6,000-character word made a page 75,000 px wide: long strings break anywhere.
    "<style>.stMarkdown, .stCaption, .stAlert, [data-testid='stTable'] td, "
    "[data-testid='stTable'] th, .stHeading {overflow-wrap: anywhere; word-break: break-word}"
    # Tables a little tighter: a table of eleven columns (Tag review's, in French, Spanish or
    # Russian) then fits the page at 1,280 px instead of scrolling sideways in a region no
    # keyboard can reach (axe: scrollable-region-focusable, serious). Streamlit's own cell
    # padding is set in a rule that outranks this one's selector.
    "[data-testid='stTable'] table {font-size: 0.8125rem}"
    "[data-testid='stTable'] th, [data-testid='stTable'] td "
    "{padding-left: 0.25rem !important; padding-right: 0.25rem !important}"
    # An interactive table's own "Download as CSV" writes cells as they are (=HYPERLINK...),
    # outside roles and the audit log: files leave only through the app's defused buttons.
    "[data-testid='stElementToolbarButton']:has(button[aria-label^='Download as CSV'])"
    " {display: none}"
    # Streamlit greys captions by making them 60% opaque: 3.9:1 on white (3.5:1 on the
    # sidebar), below WCAG AA's 4.5:1 for their small text. Opaque in this grey they read
    # 6.8:1 on white and 6.0:1 on the sidebar; inline code in them keeps the theme's colour.
    "div[data-testid='stCaptionContainer'] {opacity: 1; color: #595b63}"
    # A metric's label is cut to one line by Streamlit ("Responses inside th…" at 1,280 px):
    # it wraps instead, as does the label of a chart's numbers table or download button.
    "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'], "
    "[data-testid='stMetricLabel'] p, [data-testid='stExpander'] summary p, "
    "[data-testid='stPopover'] button p "
    "{white-space: normal; overflow: visible; text-overflow: clip}</style>"
)
# Streamlit has no right-to-left layout: for Arabic the main block and the sidebar are set
# right to left, text and table cells aligned right. Plotly lays out its own text and expects
# left to right around it (its charts are mirrored in charts.py instead); Chromium shapes the
# Arabic in them either way.
RTL_CSS = (
    "<style>[data-testid='stMain'], [data-testid='stSidebar'], [data-testid='stHeader'] "
    "{direction: rtl}"
    # The sidebar is the first child of a row (Streamlit 1.67's stAppViewContainer): reversed,
    # it stands on the right, where an Arabic reader starts.
    "[data-testid='stAppViewContainer'] {flex-direction: row-reverse}"
    # Closed, Streamlit slides it out to the left, which is now across the page: it stays at
    # the right edge, no wider than nothing, and hidden (some of its widgets set themselves
    # visible). Its arrows point the other way.
    "[data-testid='stSidebar'][data-collapsed='true'] {transform: none}"
    "[data-testid='stSidebar'][data-collapsed='true'], "
    "[data-testid='stSidebar'][data-collapsed='true'] * {visibility: hidden !important}"
    "[data-testid='stExpandSidebarButton'] [data-testid='stIconMaterial'],"
    " [data-testid='stSidebarCollapseButton'] [data-testid='stIconMaterial']"
    " {transform: scaleX(-1)}"
    # Its resize handle stays on its (now outer) right edge and drags the wrong way: no
    # resizing in Arabic rather than a handle that shrinks what it should widen.
    "[data-testid='stSidebar'] div:has(> [data-testid='stSidebarResizeHandle']) {display: none}"
    # A select box shows its choice in a text field, which in a right-to-left page clips a
    # Latin title at its start ("onsultation on…"): each choice in its own direction.
    "input[role='combobox'] {unicode-bidi: plaintext}"
    # A segmented control's buttons are rounded and overlapped for a left-to-right row: in a
    # right-to-left row the first stands on the right, so its rounded side goes right too.
    "[role='radiogroup'] > button[data-variant='segmented_control'] "
    "{margin-right: 0; margin-left: -1px}"
    "[role='radiogroup'] > button[data-variant='segmented_control']:first-child "
    "{border-radius: 0 0.5rem 0.5rem 0}"
    "[role='radiogroup'] > button[data-variant='segmented_control']:last-child "
    "{border-radius: 0.5rem 0 0 0.5rem; margin-left: 0}"
    "[role='radiogroup'] > button[data-variant='segmented_control']:only-child "
    "{border-radius: 0.5rem}"
    "[data-testid='stMain'] .stMarkdown, [data-testid='stSidebar'] .stMarkdown, .stCaption, "
    ".stAlert, .stHeading, [data-testid='stMetric'], [data-testid='stWidgetLabel'] "
    "{text-align: right}"
    "[data-testid='stTable'] th, [data-testid='stTable'] td {text-align: right}"
    # A paragraph takes its direction from its first letter outside any isolate: Arabic
    # sentences read right to left with their ids and titles isolated (i18n.isolate), and an
    # English text (an answer, a message not yet translated) keeps its own order.
    ".stMarkdown p, .stCaption p, .stAlert p, .stHeading h1, .stHeading h2, .stHeading h3 "
    "{unicode-bidi: plaintext}"
    "[data-testid='stMetricValue'], [data-testid='stMetricDelta'] {unicode-bidi: plaintext}"
    ".js-plotly-plot, .stPlotlyChart {direction: ltr}</style>"
)
ROLE_NAMES = {"viewer": N_("viewer"), "analyst": N_("analyst"), "admin": N_("admin")}


def plain(text: object) -> str:
    """Text from data, a file name or an analyst, for any sink that reads Markdown: shown
    exactly as written, never as a link, an image, emphasis, an icon, maths or a heading.
    Line breaks are kept as breaks."""
    text = _AUTOLINKED.sub(lambda m: m.group(0) + WORD_JOINER, "" if text is None else str(text))
    escaped = _MARKDOWN_INLINE.sub(r"\\\g<0>", text)
    escaped = _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)
    escaped = _MARKDOWN_NUMBERED.sub(r"\1\\\2", escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for st.table, whose cells and headers are Markdown: every text made plain."""
    shown = frame.copy()
    shown.columns = [plain(c) for c in shown.columns]
    for position in range(shown.shape[1]):
        column = shown.iloc[:, position]
        if not pd.api.types.is_numeric_dtype(column):
            shown.isetitem(position, column.map(lambda v: plain(v) if isinstance(v, str) else v))
    return shown


BUSY_KEY = "_store_busy"  # a callback's write that found the store held: said on this run


def store_busy(holder: str) -> None:
    """Say that another program holds the store, so what was asked was not done (nothing
    written, nothing lost), and what to do."""
    st.error(
        _(
            "The store is in use by another program ({holder}), so this could not be done. "
            "Nothing was changed and nothing is lost: try again in a moment. A command that "
            "writes the store (an import or an undo from the command line) holds it until "
            "it finishes."
        ).format(holder=i18n.isolate(plain(holder)))
    )


def guarded(action: Callable[..., Any]) -> Callable[..., None]:
    """A button's callback that writes the store: if another program holds the store, the
    page says so on the run that follows instead of showing a traceback."""

    def run(*args: Any, **kwargs: Any) -> None:
        try:
            action(*args, **kwargs)
        except database.StoreBusy as exc:
            st.session_state[BUSY_KEY] = exc.holder

    return run


def page_css() -> None:
    """Long strings wrap, and no table offers an undefused CSV of its own; right to left for
    Arabic."""
    st.html(PAGE_CSS + (RTL_CSS if i18n.is_rtl() else ""))


# Streamlit's file uploader writes its own words in English ("Upload", "200MB per file", "Drag
# and drop files here" while a file is dragged over it) and has no setting to translate them
# (1.67: the texts are literals in its frontend). In the other languages the app's stylesheet
# hides those texts, keeping their elements and styles, and writes the catalogue's in their place
# with CSS generated content, which Chromium also gives to assistive technology as the button's
# name. The rules are scoped to one uploader by the class Streamlit gives its key ("st-key-...")
# so each states its own file types. If a Streamlit upgrade changes these elements, the browser
# test of the Import page in French (tests/test_browser_languages.py) fails on the English words.
_UPLOADER_BUTTON = (
    "[data-testid='stFileUploaderDropzone'] button[data-testid='stBaseButton-secondary'] "
    "[data-testid='stMarkdownContainer']"
)
_UPLOADER_LIMIT = "[data-testid='stFileUploaderDropzoneInstructions'] > div"
# The overlay shown while files are dragged over the drop zone: its child without a test id that
# holds a text (the list of chosen files is the other such child, of elements only).
_UPLOADER_DRAG = "[data-testid='stFileUploaderDropzone'] > div:not([data-testid]):has(> span)"
_STREAMLIT_KEY = re.compile(r"[^a-zA-Z0-9_-]")


def css_text(text: str) -> str:
    """`text` as a CSS string (for `content`): quoted, and nothing in it can end the string,
    the rule or the style element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in text)
    return f'"{escaped}"'


def uploader_css(key: str, types: list[str], *, multiple: bool = False) -> str:
    """The stylesheet that writes the uploader of `key`'s own texts in the language in force
    (see above); empty in English, where Streamlit's words are the interface's."""
    if i18n.current() == i18n.DEFAULT:
        return ""
    scope = ".st-key-" + _STREAMLIT_KEY.sub("-", key.strip())
    limit = _("{size} MB per file • {types}").format(
        size=i18n.number(st.get_option("server.maxUploadSize")),
        types=", ".join(kind.lstrip(".").upper() for kind in types),
    )
    drag = _("Drag and drop files here") if multiple else _("Drag and drop a file here")
    # (the element holding Streamlit's text, that text's element, the new text, its look)
    texts = (
        (_UPLOADER_BUTTON, "p", i18n.pgettext("file uploader", "Upload"), ""),
        (_UPLOADER_LIMIT, "span", limit, "color: #595b63"),
        (_UPLOADER_DRAG, "span", drag, "font-weight: 700; color: #0072B2"),
    )
    rules = []
    for holder, english, text, look in texts:
        # Streamlit's text is removed from the page (and from what screen readers read) and the
        # catalogue's written after it, in the same element, so it is the button's name.
        rules.append(f"{scope} {holder} > {english} {{display: none}}")
        rules.append(
            f"{scope} {holder}::after {{content: {css_text(text)}; font-size: 0.875rem; {look}}}"
        )
    return "<style>" + "".join(rules) + "</style>"


def file_uploader(
    where: Any, label: str, *, key: str, type: list[str], multiple: bool = False, **options: Any
) -> Any:
    """`where.file_uploader(...)` (where: st, a column), with Streamlit's own words in it in
    the language in force."""
    uploaded = where.file_uploader(
        label, type=type, key=key, accept_multiple_files=multiple, **options
    )
    if css := uploader_css(key, type, multiple=multiple):
        st.html(css)
    return uploaded


def heading(view: View, title: str) -> None:
    page_css()
    st.title(title)
    c = view.consultation
    zone = view.filters.timezone
    window = style.window_text(c.opens, c.closes, zone)
    context = view.context()
    # The filters in force named in the page's language (countries, regions, themes...).
    line = (
        _("{title} · open {window} · filtered: {filters}")
        if context.filtered()
        else _("{title} · open {window}")
    )
    st.caption(
        line.format(
            title=i18n.isolate(plain(c.display_title())),
            window=window,
            filters=plain(context.filter_text()),
        )
    )
    st.caption(perturbation.scheme_text(c.suppression_k, exact=view.exact))
    uncounted_warnings(view)


def uncounted_warnings(view: View) -> None:
    """A warning for each import whose answers the figures leave out, stored but not yet
    tagged and counted (an import stopped between its two transactions). The file's name only
    to those who may import: the Import history shows it to no one else."""
    may_count = view.access.can(roles.PAGE_ROLES["import_data.py"])
    for row in data.uncounted(view.version, view.consultation.id).itertuples():
        if may_count:
            message = ngettext(
                "Import {id} ({file}): {count} answer is stored but not yet tagged and "
                "counted; the figures leave it out until it is counted (Import page, Import "
                "history).",
                "Import {id} ({file}): {count} answers are stored but not yet tagged and "
                "counted; the figures leave them out until they are counted (Import page, "
                "Import history).",
                row.responses_loaded,
            )
        else:
            message = ngettext(
                "Import {id}: {count} answer is stored but not yet counted; the figures leave "
                "it out until an administrator counts it.",
                "Import {id}: {count} answers are stored but not yet counted; the figures "
                "leave them out until an administrator counts them.",
                row.responses_loaded,
            )
        st.warning(
            message.format(
                id=row.import_id,
                file=i18n.isolate(plain(row.file_name)),
                count=i18n.number(row.responses_loaded),
            )
        )


def with_unknown(order: list[str], present: pd.Series) -> list[str]:
    """`order`, plus 'Unknown' at the end when it occurs in `present`."""
    return [*order, "Unknown"] if (present == "Unknown").any() else list(order)


def nothing_matches(frame: pd.DataFrame | None = None, column: str = "respondents") -> bool:
    """Say so plainly when the filters leave nothing, instead of drawing empty axes."""
    if frame is None or frame.empty or frame[column].fillna(1).sum() == 0:
        st.info(_("Nothing matches these filters. Widen them in the sidebar to see figures."))
        return True
    return False


# How a piece of an answer is marked: what the codes' keywords matched (the browser's own
# yellow), what the search words matched (blue), or both (blue, underlined).
_MARK_STYLES = {
    (True, False): "<mark>",
    (False, True): '<mark style="background-color: #b3d7ff">',
    (True, True): '<mark style="background-color: #b3d7ff; text-decoration: underline">',
}


def answer_text(
    text: str, marked: list[tuple[int, int]] = (), found: list[tuple[int, int]] = ()
) -> None:
    """An answer from the public, shown as text: escaped, so nothing in it runs as HTML or
    Markdown, laid out right-to-left when it is Arabic (dir="auto"), line breaks kept; the
    `marked` spans (what keywords matched) and the `found` spans (what the search words
    matched) highlighted."""
    cuts = sorted({0, len(text), *(i for span in (*marked, *found) for i in span)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        piece = html.escape(text[start:end])
        kind = (
            any(a <= start and end <= b for a, b in marked),
            any(a <= start and end <= b for a, b in found),
        )
        pieces.append(f"{_MARK_STYLES[kind]}{piece}</mark>" if any(kind) else piece)
    st.html(
        '<div dir="auto" style="white-space: pre-wrap; overflow-wrap: anywhere">'
        f"{''.join(pieces)}</div>"
    )


Answer = tuple[int, int, str]  # where an answer is: (import, source row, question)


def quote_card(
    row: Any,
    *,
    closeness: float | None,
    pinned: bool,
    key: str,
    pin: Callable[[Answer, bool], None],
) -> None:
    """An answer as a quote shows it (the Themes and Topics pages' typical answers, and their
    pinned quotes): its question, language, place as its card names it and stakeholder type
    where a quote may name it (typical.place_text, typical.stakeholder_text), its closeness to
    its subject's centre when given, the redacted text, and a button that pins it as a quote
    (or unpins it): `pin(answer, pinned)` is called with where the answer is, which is never
    shown. `row` has the columns of typical_candidates.sql's rows."""
    with st.container(border=True):
        # Ids and data (a stakeholder type as written) isolated: in an Arabic page the line
        # takes its direction from its Arabic words, not from a leading "Q4".
        parts = [
            i18n.isolate(plain(row.question_id.upper())),
            plain(language_label(row.language)),
            plain(typical.place_text(row.iso3, row.country, row.region)),
            i18n.isolate(plain(typical.stakeholder_text(row.stakeholder_type))),
        ]
        if closeness is not None:
            parts.append(_("closeness {value}").format(value=typical.score_text(closeness)))
        st.caption(" · ".join(parts))
        answer_text(row.answer)
        answer = (int(row.import_id), int(row.source_row), str(row.question_id))
        st.button(
            _("Unpin") if pinned else _("Pin as a quote"),
            key=f"{key}-{answer[0]}-{answer[1]}-{answer[2]}",
            on_click=guarded(pin),
            args=(answer, pinned),
            help=None
            if pinned
            else _(
                "Puts this answer in the report under “What respondents said”. Written to the "
                "audit log with your name and the time; unpin it at any time."
            ),
        )


def drawn(draw: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`draw(*args, **kwargs)` (a chart of dashboard/publish/charts.py), drawn once for these
    inputs in the interface's language and shared by every session (data.drawn)."""
    name = f"{draw.__module__}.{draw.__qualname__}"
    inputs = (args, kwargs, _frame_attrs(*args, *kwargs.values()))
    return data.drawn(name, i18n.current(), inputs, lambda: draw(*args, **kwargs))


def _frame_attrs(*values: Any) -> list[dict]:
    """What frames carry beside their cells and a chart reads (k, for "fewer than k"; the
    totals released with a table), which the hash of a frame leaves out."""
    return [dict(value.attrs) for value in values if isinstance(value, pd.DataFrame)]


def catalogue_chart(slug: str, *, key: str) -> pd.DataFrame:
    """A chart of the catalogue (the one the report pack draws), under the view's filters;
    returns its (protected) frame for whatever else the page says about it."""
    view = current_view()
    entry = BY_SLUG[slug]
    frame = view.cells(entry.query, **entry.parameters)
    context = view.context()
    # What the drawing reads besides the frame (the consultation's labels and zone, the
    # codebook) changes only with the store's version.
    inputs = (frame, _frame_attrs(frame), view.version, view.consultation.id, view.filters)
    fig = data.drawn(
        f"catalogue.{slug}", i18n.current(), inputs, lambda: entry.draw(frame, context)
    )
    # The table is the one the report pack writes: same columns, same labels.
    chart(fig, entry.numbers(frame, context), key=key)
    return frame


def numbers_table(numbers: pd.DataFrame, *, height: int | None = None) -> None:
    """A table of figures, as published ("< k" where hidden). A static table on purpose: an
    interactive one has its own CSV button, which would bypass roles and the audit log."""
    k = current_view().consultation.suppression_k

    def shown() -> pd.DataFrame:
        published = privacy.published(numbers, k, as_text=True)
        return plain_table(published.rename(columns=column_labels()))

    inputs = (numbers, _frame_attrs(numbers), k)
    table = data.drawn("numbers_table", i18n.current(), inputs, shown)
    st.table(table, hide_index=True, height=height or "content")


@dataclass(frozen=True)
class FileText:
    """What the files taken from a chart say about their figures where the view's own filters
    do not (the Compare page's segments): lines under a table (given its title), lines under
    an image, the subtitle, file names (given the title) and what the audit log records."""

    footer: Callable[[str], list[str]]
    source: Callable[[], list[str]]
    subtitle: str
    stem: Callable[[str], str]
    audit: dict[str, Any]


def chart(
    fig: go.Figure,
    numbers: pd.DataFrame,
    *,
    key: str,
    about: FileText | None = None,
    shown: pd.DataFrame | None = None,
) -> None:
    """A chart with the table of its numbers one click away, and downloads of both (`about`:
    what the files say of their figures, when not the view's filters; `shown`: the numbers
    as written for the screen, when `numbers` holds figures of more than one kind)."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
    view = current_view()
    k = view.consultation.suppression_k
    may_download = view.access.can("analyst")
    # A third for the download button: at a quarter, in a half-width column at 1,280 px,
    # "Download" was cut to "Downl…".
    left, right = st.columns([2, 1]) if may_download else (st.container(), None)
    with left.expander(_("Numbers behind this chart")):
        numbers_table(numbers if shown is None else shown)
    if right is None:
        return
    with right.popover(_("Download"), width="stretch"):
        if view.exact and not view.exact_downloads:
            # The figures on screen are exact; files must not be unless chosen (and logged).
            st.caption(
                _(
                    "Downloads are off while exact figures are on screen. Turn on 'Exact "
                    "figures in downloads' (logged), or turn exact figures off."
                )
            )
        else:
            files = privacy.published(numbers, k).rename(columns=column_labels())
            downloads(fig, files, key=key, about=about)


def downloads(
    fig: go.Figure, table: pd.DataFrame, *, key: str, about: FileText | None = None
) -> None:
    """PNG, SVG, PDF and interactive HTML of the chart in the print style (at the full or half
    text width of an A4 page), CSV and XLSX of its numbers, each with the source line and the
    filters in force; file names say what the file is and which filters made it. Files are made
    on click."""
    view = current_view()
    context = view.context()
    title = plain_title(fig) or key
    widths = {"full": _("Full text width (16 cm)"), "half": _("Half (8 cm)")}
    width = st.segmented_control(
        _("Chart width"),
        list(style.SIZES),
        default="full",
        format_func=widths.get,
        key=f"{key}-width",
    )
    size = style.SIZES[width or "full"]

    # The respondents behind the source line are read only when a file is made, not on every
    # rerun of the page.
    def footer() -> list[str]:
        if about is not None:
            return about.footer(title)
        return context.footer(title, exact=view.exact, respondents=view.totals().respondents)

    def printed() -> go.Figure:
        return style.printed(
            fig,
            subtitle=context.subtitle() if about is None else about.subtitle,
            source=context.image_source(view.totals().respondents, exact=view.exact)
            if about is None
            else about.source(),
            size=size,
        )

    stem = context.file_stem(title) if about is None else about.stem(title)
    sized = f"{stem}-{size.name}-width"
    files = (
        (_("PNG image (300 dpi)"), f"{sized}.png", "image/png",
         lambda: render.png(printed(), size)),
        (_("SVG image"), f"{sized}.svg", "image/svg+xml", lambda: render.svg(printed(), size)),
        (_("PDF"), f"{sized}.pdf", "application/pdf", lambda: render.pdf(printed(), size)),
        (_("Interactive HTML"), f"{stem}.html", "text/html",
         lambda: render.html(printed(), title)),
        (_("Table (CSV)"), f"{stem}.csv", "text/csv", lambda: csv_bytes(table, footer())),
        (_("Table (XLSX)"), f"{stem}.xlsx", XLSX_MIME,
         lambda: xlsx_bytes(table, footer(), title)),
    )  # fmt: skip
    # Without Chromium no image can be made: offered anyway, a click would give nothing.
    no_images = render.unavailable_reason()
    if no_images is not None:
        st.caption(plain(no_images))
        files = tuple(f for f in files if not f[1].endswith(render.IMAGE_SUFFIXES))
    for label, file_name, mime, make in files:
        suffix = file_name.rsplit(".", 1)[1]
        st.download_button(
            label,
            partial(
                _logged,
                view,
                "download",
                file_name,
                make,
                i18n.current(),
                about.audit if about else None,
            ),
            file_name=file_name,
            mime=mime,
            on_click="ignore",
            key=f"{key}-{suffix}",
            width="stretch",
        )


def plain_title(fig: go.Figure) -> str:
    """A chart's title as written (the figure holds it escaped for Plotly)."""
    text = fig.layout.title.text or ""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _logged(
    view: View,
    action: str,
    file_name: str,
    make: Callable[[], bytes],
    lang: str = "en",
    details: dict[str, Any] | None = None,
) -> bytes:
    """Make a file for download, in the language of the page it was asked from (it is made
    when clicked, outside the page's run), and record who took it with which filters."""
    with i18n.using(lang):
        content = make()
    data.audit(
        view.access.who,
        action,
        view.consultation.id,
        {
            "file": file_name,
            **(details or {"filters": view.audit_filters()}),
            "exact": view.exact_downloads,
        },
    )
    return content


def report_pack_button() -> None:
    """The whole view as one ZIP (every chart, table and matching answer, and the note), and
    as one Word document; both for analysts only (app.py) and logged."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        return

    def build() -> bytes:
        files = report.pack_files(
            data.cursor(), view.consultation, view.filters, exact=view.exact_downloads
        )
        return report.zip_bytes(files)

    # Both draw every chart as an image: without Chromium they are off, and say why.
    no_images = render.unavailable_reason()
    name = f"{view.consultation.id}-report-pack_{view.context().filter_slug()}.zip"
    st.sidebar.download_button(
        _("Report pack (ZIP)"),
        partial(_logged, view, "report_pack", name, build, i18n.current()),
        file_name=name,
        mime="application/zip",
        on_click="ignore",
        key="report-pack",
        disabled=no_images is not None,
        help=_(
            "Every chart (PNG, SVG, PDF), table and matching answer (CSV, XLSX) for the "
            "filters in force, with a methodology note. Takes a few seconds."
        ),
        width="stretch",
    )

    def build_word() -> bytes:
        # Made by the pack itself, so its figures are the pack's, protected the same way.
        files = report.pack_files(
            data.cursor(), view.consultation, view.filters, exact=view.exact_downloads
        )
        return files["report.docx"]

    word_name = f"{view.consultation.id}-report_{view.context().filter_slug()}.docx"
    st.sidebar.download_button(
        _("Word report (DOCX)"),
        partial(_logged, view, "word_report", word_name, build_word, i18n.current()),
        file_name=word_name,
        mime=word.DOCX_MIME,
        on_click="ignore",
        key="word-report",
        disabled=no_images is not None,
        help=_(
            "The report pack as one editable Word document: methodology, and every chart with "
            "its caption, table and a few figures read off it. Takes a few seconds."
        ),
        width="stretch",
    )
    if no_images is not None:
        st.sidebar.caption(plain(no_images))
