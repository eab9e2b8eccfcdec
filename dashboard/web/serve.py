"""Serve the dashboard: `python -m dashboard.web.serve [streamlit options]` (what `make run`
does), which is `streamlit run dashboard/web/app.py` made safer for sharing:

- it refuses to start, before binding any port, when the address reaches beyond this machine
  and sign-in is not configured, or when the sign-in settings are unusable (the app itself
  refuses to serve such sessions too, for a bare `streamlit run`);
- it serves no `/_stcore/metrics`: Streamlit 1.67 has no setting to turn that endpoint off, and
  it tells whoever reaches the port about sessions and caches, without sign-in.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from streamlit import config
from streamlit.web import bootstrap
from streamlit.web import cli as streamlit_cli
from streamlit.web.server.starlette import starlette_app

from dashboard.web import access

APP = Path(__file__).with_name("app.py")


def _no_metrics_routes(*args: Any, **kwargs: Any) -> list:
    return []


def refusal() -> str | None:
    """Why this server must not start with the settings in force, or None."""
    try:
        signed_in = access.sign_in_configured()
    except access.SignInMisconfigured as exc:
        return str(exc)
    address = config.get_option("server.address")
    if not signed_in and not access.is_loopback(address):
        return (
            f"refusing to listen on {address or 'every network interface'} without sign-in: "
            "configure [auth] in .streamlit/secrets.toml, or serve on 127.0.0.1."
        )
    return None


def main(argv: Sequence[str] | None = None) -> None:
    run_streamlit = bootstrap.run

    def checked_run(*args: Any, **kwargs: Any) -> None:
        # Streamlit has read config.toml, the flags and the secrets' location by now.
        problem = refusal()
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            raise SystemExit(1)
        run_streamlit(*args, **kwargs)

    starlette_app.create_metrics_routes = _no_metrics_routes
    bootstrap.run = checked_run
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
