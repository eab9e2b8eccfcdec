"""The Streamlit entry point: `streamlit run dashboard/web/app.py` (what `make run` does)."""

from pathlib import Path

import streamlit as st

from dashboard.store import database
from dashboard.web import access, roles, ui

# Not "pages/": that name switches on Streamlit's older page discovery beside st.navigation.
PAGES = Path(__file__).with_name("views")

st.set_page_config(page_title="Consultation dashboard", layout="wide")
try:
    who = access.current()
except access.SignInMisconfigured as exc:
    # Fail closed: settings that cannot be used let nobody in, rather than everybody.
    st.title("Consultation dashboard")
    st.error(f"The dashboard is stopped: {exc}")
    st.stop()
if who is None:
    ui.sign_in_page()
    st.stop()
if who.role is None:
    ui.no_role_page(who)
    st.stop()
if not who.signed_in:
    st.warning(
        f"Local administrator mode ({access.LOCAL_ADMIN_SETTING}=1): there is no sign-in, and "
        "whoever opens this address on this machine is the administrator. Configure sign-in "
        "before sharing the dashboard."
    )
navigation = st.navigation(
    [
        st.Page(
            PAGES / file,
            title=title,
            default=file == "overview.py",
            url_path="import" if file == "import_data.py" else None,
        )
        for file, title, needed in roles.PAGES
        if who.can(needed)
    ]
)
ui.account_box(who)
try:
    ui.sidebar(who)  # the first to open the store
except database.StoreBusy as exc:  # a CLI command holds it: say so, and retry on the next run
    st.error(f"The store cannot be opened: {exc}")
    st.stop()
if who.can("analyst"):
    ui.report_pack_button()
navigation.run()
