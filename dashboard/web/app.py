"""The Streamlit entry point: `streamlit run dashboard/web/app.py` (what `make run` does)."""

import time
from pathlib import Path

import streamlit as st

from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.store import database
from dashboard.web import access, rerun_log, roles, ui

run_started = time.perf_counter()

# Not "pages/": that name switches on Streamlit's older page discovery beside st.navigation.
PAGES = Path(__file__).with_name("views")

# Until the selector is drawn (sign-in pages have none): the address's or the browser's.
i18n.activate(ui.language_from_address())
st.set_page_config(page_title=_("Consultation dashboard"), layout="wide")
try:
    who = access.current()
except access.SignInMisconfigured as exc:
    # Fail closed: settings that cannot be used let nobody in, rather than everybody.
    ui.page_css()
    st.title(_("Consultation dashboard"))
    st.error(_("The dashboard is stopped: {reason}").format(reason=exc))
    st.stop()
if who is None:
    ui.sign_in_page()
    st.stop()
if who.role is None:
    ui.no_role_page(who)
    st.stop()
# The language of every page, chosen first in the sidebar (kept in the address as ?lang=).
ui.choose_language()
if not who.signed_in:
    st.warning(
        _(
            "Local administrator mode ({setting}=1): there is no sign-in, and whoever opens "
            "this address on this machine is the administrator. Configure sign-in before "
            "sharing the dashboard."
        ).format(setting=access.LOCAL_ADMIN_SETTING)
    )
navigation = st.navigation(
    [
        st.Page(
            PAGES / file,
            title=_(title),
            default=file == "overview.py",
            url_path="import" if file == "import_data.py" else None,
        )
        for file, title, needed in roles.PAGES
        if who.can(needed)
    ],
    # Every page in view: collapsed, Streamlit lists ten and hides an administrator's Import,
    # Consultations and Audit log behind a "View more" button.
    expanded=True,
)
ui.account_box(who)
# A button's write that found the store held by a command (ui.guarded): said once, here.
busy = st.session_state.pop(ui.BUSY_KEY, None)
if busy:
    ui.store_busy(busy)
try:
    ui.sidebar(who)  # the first to open the store
    if who.can("analyst"):
        ui.report_pack_button()
    navigation.run()
    rerun_log.note(run_started, navigation.url_path)
except database.StoreBusy as exc:
    # A command writes the store (the app cannot read it meanwhile), or holds it when the page
    # writes: nothing was written; say so rather than show a traceback, and retry on the next run.
    ui.store_busy(exc.holder)
