"""Overview: the consultation at a glance."""

import streamlit as st

from dashboard import data
from dashboard.queries import Filters

db = data.db_key()
ids = data.consultation_ids(db)
if not ids:
    st.title("Consultation dashboard")
    st.info(
        "The store holds no consultation yet. Add one with `python -m dashboard consultation add`."
    )
    st.stop()

consultation_id = st.sidebar.selectbox("Consultation", ids)
consultation = data.consultation(db, consultation_id)
figures = data.consultation_summary(db, consultation_id, Filters())

st.title(consultation.title)
st.caption(
    f"Open from {consultation.opens:%d %B %Y %H:%M %Z} to {consultation.closes:%d %B %Y %H:%M %Z}"
)
left, right = st.columns(2)
left.metric("Respondents", f"{figures['respondents']:,}")
right.metric("Responses", f"{figures['responses']:,}")
