"""Sign-in and roles in the app: Streamlit's OpenID Connect (`st.login`) when `[auth]` is set in
`.streamlit/secrets.toml`, roles from `roles.toml`; without `[auth]`, one local admin."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.web import roles


@dataclass(frozen=True)
class Access:
    who: str  # e-mail, or "local"
    role: str | None  # viewer, analyst, admin; None: signed in but given no role
    signed_in: bool

    def can(self, needed: str) -> bool:
        return roles.at_least(self.role, needed)


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False
    except Exception:
        return False


def current() -> Access | None:
    """This session's access, or None when sign-in is configured and nobody is signed in."""
    if not sign_in_configured():
        return Access(who="local", role="admin", signed_in=False)
    if not st.user.is_logged_in:
        return None
    email = str(st.user.get("email") or "")
    return Access(who=email, role=roles.load_roles().role_for(email), signed_in=True)
