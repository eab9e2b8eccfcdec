"""Audit log (administrators): imports, undos, exports and unsuppressed views, newest first."""

import streamlit as st

from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

ui.page_css()
st.title("Audit log")
st.caption(
    "Who did what and when: imports, undos, exports and report packs, and every choice of "
    "exact figures or unredacted answers, with the filters in force."
)
log = data.audit_log()
if log.empty:
    st.info("Nothing has been recorded yet.")
else:
    st.dataframe(
        log.rename(
            columns={
                "happened_at": "When (UTC)",
                "who": "Who",
                "action": "Action",
                "consultation_id": "Consultation",
                "details": "Details",
            }
        ),
        hide_index=True,
        key="audit-log",
        column_config={"Details": st.column_config.TextColumn(width="large")},
    )
