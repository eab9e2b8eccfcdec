"""Sign-in and roles in the app: Streamlit's OpenID Connect (`st.login`) when `[auth]` is set in
`.streamlit/secrets.toml`, roles from `roles.toml`.

It fails closed. Secrets that cannot be read, or an auth section under another name (`[Auth]`),
stop the app with a message; without sign-in nobody gets in unless the operator asked for the
single local administrator (`DASHBOARD_LOCAL_ADMIN=1`, which `make run` sets) and the server
listens on this machine only; a role needs an e-mail address the identity provider verified.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.reference.i18n import _
from dashboard.web import roles

LOCAL_ADMIN_SETTING = "DASHBOARD_LOCAL_ADMIN"
# Keys Streamlit needs in [auth]; a provider's keys sit there or in [auth.<provider>].
AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


class SignInMisconfigured(RuntimeError):
    """The sign-in settings exist but cannot be used: nobody is let in until they are fixed."""


@dataclass(frozen=True)
class Access:
    who: str  # e-mail, or "local"
    role: str | None  # viewer, analyst, admin; None: signed in but given no role
    signed_in: bool

    def can(self, needed: str) -> bool:
        return roles.at_least(self.role, needed)


def local_admin_requested() -> bool:
    return os.environ.get(LOCAL_ADMIN_SETTING, "").strip().casefold() in {"1", "true", "yes"}


def _secrets() -> Mapping[str, Any] | None:
    """The secrets, or None when there is no secrets file at all."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except FileNotFoundError as exc:  # Streamlit's "no secrets" and "unreadable" share a type
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return None
        raise SignInMisconfigured(
            _("The secrets file cannot be read, so sign-in cannot be checked: {reason}").format(
                reason=exc
            )
        ) from exc
    except Exception as exc:  # anything else unreadable is a misconfiguration, never "no auth"
        raise SignInMisconfigured(
            _("The secrets cannot be read: {reason}").format(reason=exc)
        ) from exc


def check_auth_section(secrets: Mapping[str, Any] | None) -> bool:
    """True when `[auth]` is set and usable, False when there is no sign-in configuration at
    all; `SignInMisconfigured` (saying what is wrong) for anything in between."""
    if not secrets:
        return False
    misnamed = [key for key in secrets if key != "auth" and key.strip().casefold() == "auth"]
    if misnamed:
        raise SignInMisconfigured(
            _(
                "The secrets have a section [{section}]; Streamlit reads only [auth] (lower "
                "case). Rename it."
            ).format(section=misnamed[0])
        )
    stray = [key for key in (*AUTH_KEYS, *PROVIDER_KEYS) if key in secrets]
    if stray:
        raise SignInMisconfigured(
            _("The secrets set {keys} outside any section; they belong under [auth].").format(
                keys=", ".join(stray)
            )
        )
    if "auth" not in secrets:
        return False
    section = secrets["auth"]
    if not isinstance(section, Mapping):
        raise SignInMisconfigured(_("`auth` in the secrets must be a section ([auth])."))
    missing = [key for key in AUTH_KEYS if not section.get(key)]
    providers = [section] + [v for v in section.values() if isinstance(v, Mapping)]
    if not any(all(p.get(key) for key in PROVIDER_KEYS) for p in providers):
        missing.append(
            _("{keys} (in [auth] or in [auth.<provider>])").format(keys="/".join(PROVIDER_KEYS))
        )
    if missing:
        raise SignInMisconfigured(
            _("[auth] in the secrets lacks {keys}.").format(keys=", ".join(missing))
        )
    return True


def sign_in_configured() -> bool:
    return check_auth_section(_secrets())


def is_loopback(address: str | None) -> bool:
    """Whether the server's address reaches this machine only (unset means every interface)."""
    if not address:
        return False
    if address.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[] ")).is_loopback
    except ValueError:
        return False


def current() -> Access | None:
    """This session's access, or None when sign-in is configured and nobody is signed in.
    `SignInMisconfigured` when nobody may be let in as things are set."""
    if sign_in_configured():
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
        # An unverified address could be anyone's: it gets no role.
        verified = st.user.get("email_verified") is True
        role = roles.load_roles().role_for(email) if verified else None
        return Access(who=email, role=role, signed_in=True)
    address = st.get_option("server.address")
    if not is_loopback(address):
        raise SignInMisconfigured(
            _(
                "This server listens on {address} without sign-in. Configure [auth] in "
                ".streamlit/secrets.toml, or serve on 127.0.0.1 (--server.address 127.0.0.1)."
            ).format(address=address or _("every network interface"))
        )
    if not local_admin_requested():
        raise SignInMisconfigured(
            _(
                "Sign-in is not configured. Configure [auth] in .streamlit/secrets.toml, or, to "
                "use the dashboard on this machine only as its administrator, set {setting}=1 "
                "(`make run` does)."
            ).format(setting=LOCAL_ADMIN_SETTING)
        )
    return Access(who="local", role="admin", signed_in=False)


def require_page(page_file: str | Path) -> Access:
    """Called first by every page script: stop unless this session may open this page. The
    navigation hides pages too, but a page must not rely on it."""
    try:
        who = current()
    except SignInMisconfigured as exc:
        st.error(str(exc))
        st.stop()
    needed = roles.PAGE_ROLES.get(Path(page_file).name)
    if who is None or needed is None or not who.can(needed):
        st.error(_("This page is not available to you."))
        st.stop()
    return who
