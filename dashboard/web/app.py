"""The Streamlit entry point: `streamlit run dashboard/web/app.py` (what `make run` does)."""

from pathlib import Path

import streamlit as st

from dashboard.web import access, ui

# Not "pages/": that name switches on Streamlit's older page discovery beside st.navigation.
PAGES = Path(__file__).with_name("views")
# Each page with the least role that may open it.
PAGE_ROLES = (
    ("overview.py", "Overview", "viewer"),
    ("regions.py", "Regions", "viewer"),
    ("languages.py", "Languages", "viewer"),
    ("themes.py", "Themes", "viewer"),
    ("timeline.py", "Timeline", "viewer"),
    ("responses.py", "Responses", "analyst"),
    ("codebook.py", "Codebook", "analyst"),
    ("tag_review.py", "Tag review", "analyst"),
    ("import_data.py", "Import", "admin"),
    ("consultations.py", "Consultations", "admin"),
    ("audit.py", "Audit log", "admin"),
)

st.set_page_config(page_title="Consultation dashboard", layout="wide")
who = access.current()
if who is None:
    ui.sign_in_page()
    st.stop()
if who.role is None:
    ui.no_role_page(who)
    st.stop()
navigation = st.navigation(
    [
        st.Page(
            PAGES / file,
            title=title,
            default=file == "overview.py",
            url_path="import" if file == "import_data.py" else None,
        )
        for file, title, needed in PAGE_ROLES
        if who.can(needed)
    ]
)
ui.account_box(who)
ui.sidebar(who)
if who.can("analyst"):
    ui.report_pack_button()
navigation.run()
