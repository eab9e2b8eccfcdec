"""Who may do what: roles from a small TOML file, matched on the signed-in e-mail address.

```toml
# roles.toml (path in DASHBOARD_ROLES, default .streamlit/roles.toml)
admin = ["alice@ohchr.org"]
analyst = ["@ohchr.org"]        # a whole domain
viewer = ["@un.org", "bob@example.org"]
# default = "viewer"            # role of signed-in people not listed; without it they get none
```

An exact address wins over a domain; among equals, the more powerful role wins.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.reference.i18n import N_

ROLES = ("viewer", "analyst", "admin")  # each can do what the ones before it can
DEFAULT_PATH = Path(".streamlit") / "roles.toml"
# Each page script (in views/) with its title and the least role that may open it. The
# navigation lists only these, and each page checks it again itself (`access.require_page`).
PAGES = (
    ("overview.py", N_("Overview"), "viewer"),
    ("regions.py", N_("Regions"), "viewer"),
    ("languages.py", N_("Languages"), "viewer"),
    ("themes.py", N_("Themes"), "viewer"),
    ("timeline.py", N_("Timeline"), "viewer"),
    ("compare.py", N_("Compare"), "analyst"),
    ("responses.py", N_("Responses"), "analyst"),
    ("topics.py", N_("Topics"), "analyst"),
    ("codebook.py", N_("Codebook"), "analyst"),
    ("tag_review.py", N_("Tag review"), "analyst"),
    ("import_data.py", N_("Import"), "admin"),
    ("consultations.py", N_("Consultations"), "admin"),
    ("audit.py", N_("Audit log"), "admin"),
)
PAGE_ROLES = {file: needed for file, _title, needed in PAGES}


class RolesError(ValueError):
    pass


@dataclass(frozen=True)
class RoleMap:
    addresses: dict[str, str] = field(default_factory=dict)  # e-mail → role
    domains: dict[str, str] = field(default_factory=dict)  # "@domain" → role
    default: str | None = None

    def role_for(self, email: str | None) -> str | None:
        if not email:
            return None
        email = email.strip().casefold()
        if email in self.addresses:
            return self.addresses[email]
        domain = "@" + email.rsplit("@", 1)[-1]
        return self.domains.get(domain, self.default)


def at_least(role: str | None, needed: str) -> bool:
    return role is not None and ROLES.index(role) >= ROLES.index(needed)


def parse_roles(text: str) -> RoleMap:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RolesError(f"roles file is not valid TOML ({exc})") from exc
    addresses: dict[str, str] = {}
    domains: dict[str, str] = {}
    for role in ROLES:  # weakest first, so a stronger role listed too wins
        entries = data.get(role, [])
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise RolesError(f"'{role}' must be a list of e-mail addresses or '@domains'")
        for entry in entries:
            key = entry.strip().casefold()
            (domains if key.startswith("@") else addresses)[key] = role
    default = data.get("default")
    if default is not None and default not in ROLES:
        raise RolesError(f"'default' must be one of {', '.join(ROLES)}")
    unknown = set(data) - {*ROLES, "default"}
    if unknown:
        raise RolesError(f"unknown key(s) {', '.join(sorted(unknown))}; roles are {ROLES}")
    return RoleMap(addresses=addresses, domains=domains, default=default)


def load_roles(path: Path | None = None) -> RoleMap:
    path = path or Path(os.environ.get("DASHBOARD_ROLES") or DEFAULT_PATH)
    if not path.exists():
        return RoleMap()
    return parse_roles(path.read_text(encoding="utf-8"))
