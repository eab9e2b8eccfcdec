"""Roles from roles.toml, and what each role sees, through AppTest with a signed-in user."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.web.roles import RolesError, at_least, parse_roles

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
ROLES = """
admin = ["alice@ohchr.org"]
analyst = ["@ohchr.org", "carol@example.org"]
viewer = ["@un.org"]
"""
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("alice@ohchr.org", "admin"),  # an address beats its domain
        ("ALICE@OHCHR.ORG", "admin"),
        ("bob@ohchr.org", "analyst"),
        ("carol@example.org", "analyst"),
        ("dan@un.org", "viewer"),
        ("eve@example.org", None),  # not listed, no default: no role
        ("", None),
        (None, None),
    ],
)
def test_roles_by_address_and_domain(email, role) -> None:
    assert parse_roles(ROLES).role_for(email) == role


def test_the_stronger_role_wins_and_a_default_applies() -> None:
    mapping = parse_roles('viewer = ["@x.org"]\nadmin = ["@x.org"]\ndefault = "viewer"\n')
    assert mapping.role_for("a@x.org") == "admin"
    assert mapping.role_for("b@y.org") == "viewer"
    assert at_least("admin", "analyst") and not at_least("viewer", "analyst")
    assert not at_least(None, "viewer")


@pytest.mark.parametrize(
    "text", ['admin = "alice@x.org"', 'default = "owner"', 'owners = ["a@x.org"]', "admin = ["]
)
def test_bad_roles_files_are_refused(text: str) -> None:
    with pytest.raises(RolesError):
        parse_roles(text)


@pytest.fixture
def app_as(sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    monkeypatch.setenv("DASHBOARD_ROLES", str(roles_file))

    def open_as(email: str | None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": email is not None, "email": email or ""}
        at.run()
        if page:
            at.switch_page(f"views/{page}.py").run()
        return at

    return open_as


def test_nobody_signed_in_sees_only_the_sign_in_button(app_as) -> None:
    at = app_as(None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric


def test_an_account_without_role_is_told_so(app_as) -> None:
    at = app_as("eve@example.org")
    assert "gives that account no role" in at.error[0].value
    assert not at.metric


def test_a_viewer_sees_aggregates_without_downloads_or_answers(app_as) -> None:
    at = app_as("dan@un.org")
    assert at.metric and "Signed in as dan@un.org (viewer)" in at.sidebar.caption[0].value
    assert not at.get("download_button")
    with pytest.raises(Exception):  # noqa: B017 (the page is not registered for a viewer)
        at.switch_page("views/responses.py").run()


def test_an_analyst_reads_answers_and_may_download(app_as) -> None:
    at = app_as("bob@ohchr.org", "responses")
    assert not at.exception
    assert at.title[0].value == "Responses"
    with pytest.raises(Exception):  # noqa: B017 (imports are for administrators)
        at.switch_page("views/import_data.py").run()


def test_an_admin_has_every_page_and_the_audit_log(app_as) -> None:
    at = app_as("alice@ohchr.org", "audit")
    assert not at.exception
    assert at.title[0].value == "Audit log"


def test_without_sign_in_the_app_runs_as_local_admin_and_says_so(sample_copy, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any("you are the local administrator" in i.value for i in at.sidebar.info)
    at.switch_page("views/audit.py").run()
    assert at.title[0].value == "Audit log"
