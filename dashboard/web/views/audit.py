"""Audit log (administrators): imports, undos, exports and unsuppressed views, newest first."""

import streamlit as st

from dashboard.reference.i18n import _
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

ui.page_css()
st.title(_("Audit log"))
st.caption(
    _(
        "Who did what and when: imports, undos, exports and report packs, and every choice of "
        "exact figures or unredacted answers, with the filters in force."
    )
)
log = data.audit_log()
if log.empty:
    st.info(_("Nothing has been recorded yet."))
else:
    # The records themselves stay as written (in English): they are evidence.
    details = _("Details")
    st.dataframe(
        log.rename(
            columns={
                "happened_at": _("When (UTC)"),
                "who": _("Who"),
                "action": _("Action"),
                "consultation_id": _("Consultation"),
                "details": details,
            }
        ),
        hide_index=True,
        key="audit-log",
        column_config={details: st.column_config.TextColumn(width="large")},
    )
