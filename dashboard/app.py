"""The Streamlit entry point: `streamlit run dashboard/app.py` (what `make run` does)."""

from pathlib import Path

import streamlit as st

from dashboard import ui

# Not "pages/": that name switches on Streamlit's older page discovery beside st.navigation.
PAGES = Path(__file__).with_name("views")

st.set_page_config(page_title="Consultation dashboard", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", default=True),
        st.Page(PAGES / "regions.py", title="Regions"),
        st.Page(PAGES / "languages.py", title="Languages"),
        st.Page(PAGES / "themes.py", title="Themes"),
        st.Page(PAGES / "timeline.py", title="Timeline"),
        st.Page(PAGES / "responses.py", title="Responses"),
        st.Page(PAGES / "import_data.py", title="Import", url_path="import"),
        st.Page(PAGES / "consultations.py", title="Consultations"),
    ]
)
ui.sidebar()
ui.report_pack_button()
navigation.run()
