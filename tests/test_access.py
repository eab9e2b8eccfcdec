"""Roles from roles.toml, and what each role sees, through AppTest with a signed-in user; and
the ways sign-in could fail open (broken or misnamed secrets, no setting, an unverified address,
another interface, a page opened past the navigation), each of which must let nobody in."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from dashboard.web import access
from dashboard.web.roles import PAGES, RolesError, at_least, parse_roles

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
VIEWS = Path(APP).with_name("views")
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
        at.user = {"is_logged_in": email is not None, "email": email or "", "email_verified": True}
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
    assert "Local administrator (no sign-in)" in [c.value for c in at.sidebar.caption]
    assert "Local administrator mode (DASHBOARD_LOCAL_ADMIN=1)" in at.warning[0].value
    at.switch_page("views/audit.py").run()
    assert at.title[0].value == "Audit log"


# --- failing closed ---------------------------------------------------------------------------


def stopped_with(at: AppTest, words: str) -> None:
    """The app said why it is stopped, and showed nothing else: no figure, no page, no button."""
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric and not at.button and not at.sidebar.selectbox


@pytest.fixture
def secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A secrets.toml of the test's own, read as the running app reads its file."""
    path = tmp_path / "secrets.toml"
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    monkeypatch.setattr(st, "secrets", Secrets())  # a fresh reader, nothing cached
    yield path
    config.set_option("secrets.files", saved)


def test_a_secrets_file_with_a_syntax_error_lets_nobody_in(secrets_file, sample_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    secrets_file.write_text('[auth]\nredirect_uri = "http://x/oauth2callback\n', encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60).run()
    stopped_with(at, "secrets file cannot be read")


@pytest.mark.parametrize("name", ["Auth", "AUTH", " auth"])
def test_a_misnamed_auth_section_lets_nobody_in(name, secrets_file, sample_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    body = "\n".join(f'{key} = "{value}"' for key, value in AUTH.items())
    secrets_file.write_text(f'["{name}"]\n{body}\n', encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60).run()
    stopped_with(at, f"a section [{name}]")


@pytest.mark.parametrize(
    ("auth", "words"),
    [
        ({k: v for k, v in AUTH.items() if k != "cookie_secret"}, "lacks cookie_secret"),
        ({k: v for k, v in AUTH.items() if k != "client_id"}, "lacks client_id"),
        ({**AUTH, "redirect_uri": ""}, "lacks redirect_uri"),
    ],
)
def test_an_incomplete_auth_section_lets_nobody_in(auth, words, sample_copy, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = auth
    stopped_with(at.run(), words)


def test_auth_keys_outside_the_section_let_nobody_in(sample_copy, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in AUTH.items():  # the [auth] line forgotten
        at.secrets[key] = value
    stopped_with(at.run(), "belong under [auth]")


def test_without_sign_in_or_the_local_setting_nobody_gets_in(sample_copy, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    monkeypatch.delenv(access.LOCAL_ADMIN_SETTING)
    at = AppTest.from_file(APP, default_timeout=60).run()
    stopped_with(at, "DASHBOARD_LOCAL_ADMIN=1")


@pytest.mark.parametrize("address", ["0.0.0.0", "", "192.168.1.20", "::"])
def test_local_admin_on_another_interface_is_refused(address, sample_copy, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    saved = config.get_option("server.address")
    config.set_option("server.address", address)
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        config.set_option("server.address", saved)
    stopped_with(at, "without sign-in")


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
     ("localhost", True), (None, False), ("", False), ("0.0.0.0", False), ("::", False),
     ("10.0.0.1", False), ("dashboard.example.org", False)],
)  # fmt: skip
def test_what_counts_as_this_machine_only(address, loopback) -> None:
    assert access.is_loopback(address) is loopback


def test_an_unverified_address_gets_no_role(app_as, monkeypatch) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    # alice is an administrator, but anyone can claim her address where it is not verified.
    for claims in ({}, {"email_verified": False}, {"email_verified": "true"}):
        at.user = {"is_logged_in": True, "email": "alice@ohchr.org", **claims}
        at.run()
        assert "gives that account no role" in at.error[0].value
        assert not at.metric


def test_every_page_checks_its_role_before_anything_else() -> None:
    assert sorted(file for file, _title, _needed in PAGES) == sorted(
        p.name for p in VIEWS.glob("*.py")
    )
    for path in VIEWS.glob("*.py"):
        body = [
            node
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        ]
        assert ast.unparse(body[0]) == "access.require_page(__file__)", path.name


@pytest.mark.parametrize(
    ("email", "page"),
    [
        (None, "overview"),  # signed out
        ("eve@example.org", "overview"),  # no role
        ("dan@un.org", "responses"),  # viewer
        ("dan@un.org", "tag_review"),
        ("bob@ohchr.org", "import_data"),  # analyst
        ("bob@ohchr.org", "audit"),
        ("bob@ohchr.org", "consultations"),
    ],
)
def test_a_page_opened_past_the_navigation_refuses_a_lesser_role(
    email, page, sample_copy, tmp_path, monkeypatch
) -> None:
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    monkeypatch.setenv("DASHBOARD_ROLES", str(roles_file))
    # The page script on its own, as if its URL had been reached without the entry point.
    at = AppTest.from_file(str(VIEWS / f"{page}.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, "email": email or "", "email_verified": True}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This page is not available to you."]
    assert not at.title and not at.dataframe and not at.metric and not at.button


def test_without_chromium_no_image_is_offered_and_the_page_says_why(app_as, monkeypatch, tmp_path):
    # A click on an image that cannot be made gave nothing at all (the error went to the
    # server's log only): the images are not offered, the tables and HTML still are.
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = app_as("bob@ohchr.org", "regions")
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"Interactive HTML", "Table (CSV)", "Table (XLSX)"} <= labels
    assert not labels & {"PNG image (300 dpi)", "SVG image", "PDF"}
    packs = {b.proto.label: b.proto.disabled for b in at.get("download_button")
             if b.proto.label in ("Report pack (ZIP)", "Word report (DOCX)")}  # fmt: skip
    assert packs == {"Report pack (ZIP)": True, "Word report (DOCX)": True}
    said = [c.value for c in at.caption] + [c.value for c in at.sidebar.caption]
    assert any("no Chromium browser was found" in text for text in said)
