"""The Streamlit entry point: `streamlit run dashboard/app.py` (what `make run` does)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).with_name("pages")

st.set_page_config(page_title="Consultation dashboard", layout="wide")
navigation = st.navigation([st.Page(PAGES / "overview.py", title="Overview", default=True)])
navigation.run()
