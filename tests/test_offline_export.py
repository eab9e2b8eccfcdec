"""`python -m dashboard export` sends nothing off the machine: no connection, no DNS query
(issue 20, offline server). Left alone, kaleido's Chromium looked up Google hosts.

The export runs under `strace -f -ff`, one trace per process, and every network system call is
read: a TCP connection to anything but loopback, any datagram sent to another host, anything
to port 53 or to the system resolver's socket fails the test. A UDP socket that is connected
and never written to sends no packet (Chromium asks the kernel for its route that way), so it
is allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.publish import render

CONSULTATION = "civic-space-2020"
ROOT = Path(__file__).resolve().parents[1]

# strace -yy names each descriptor's protocol and ends: `connect(3<UDPv6:[...]>, {...})`.
_CALL = re.compile(r"^(?:\d+\s+)?(?:<\.\.\. )?(\w+)\(\d+(?:<(\w+):([^ ]*))?")
_INET_ADDRESS = re.compile(
    r"sa_family=AF_INET6?, (?:sin6?_port=htons\((\d+)\))"
    r'.*?inet_(?:pton|addr)\((?:AF_INET6?, )?"([^"]+)"'
)
_LOOPBACK = ("127.", "::1", "::ffff:127.")
# systemd-resolved's local socket; nscd is not listed: glibc asks it for user names, too.
_RESOLVER_SOCKETS = ("systemd/resolve",)


def _is_loopback(address: str) -> bool:
    return address.startswith(_LOOPBACK)


def network_problems(trace: str) -> list[str]:
    """What in a trace (`strace -yy -e trace=network`) reached, or could reach, another host."""
    problems: list[str] = []
    for line in trace.splitlines():
        call = _CALL.match(line)
        if not call:
            continue
        name, protocol, ends = call.group(1), call.group(2) or "", call.group(3) or ""
        address = _INET_ADDRESS.search(line)
        peer = ends.rsplit("->", 1)[1].lstrip("[") if "->" in ends else ""
        if (address and address.group(1) == "53") or ":53]" in ends:
            problems.append(f"DNS: {line}")
        elif (
            name == "connect"
            and "AF_UNIX" in line
            and any(word in line for word in _RESOLVER_SOCKETS)
        ):
            problems.append(f"resolver: {line}")
        elif (
            name == "connect"
            and protocol.startswith("TCP")
            and address
            and not _is_loopback(address.group(2))
        ):
            problems.append(f"connection: {line}")
        elif name in ("sendto", "sendmsg", "sendmmsg") and protocol.startswith("UDP"):
            target = address.group(2) if address else peer
            if not _is_loopback(target):
                problems.append(f"datagram: {line}")
    return problems


def test_the_trace_reader_sees_what_it_must():
    """The reader itself, on lines strace -yy writes for the attacks it must catch."""
    tcp = (
        'connect(30<TCP:[7001]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("'
        '142.250.1.1")}, 16) = -1 EINPROGRESS (Operation now in progress)\n'
    )
    dns = (
        'connect(5<UDP:[7002]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("'
        '10.0.0.1")}, 16) = 0\n'
        "sendmmsg(5<UDP:[10.0.0.2:4000->10.0.0.1:53]>, [{msg_hdr={msg_name=NULL}}], 2, "
        "MSG_NOSIGNAL) = 2\n"
    )
    probe = (
        "connect(25<UDPv6:[7003]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo="
        'htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0},'
        " 28) = 0\n"
    )
    probe_sent = 'sendto(25<UDPv6:[[fd00::2]:5->[2001:4860:4860::8888]:443]>, "x", 1, 0) = 1\n'
    loopback = (
        'connect(7<TCP:[7004]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("'
        '127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)\n'
    )
    netlink = 'sendto(18<NETLINK:[ROUTE:8910]>, "\\20", 64, MSG_NOSIGNAL, NULL, 0) = 64\n'
    assert network_problems(tcp)
    assert len(network_problems(dns)) == 2
    assert network_problems(probe_sent)
    assert not network_problems(probe + loopback + netlink)


@pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed")
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no system Chromium")
def test_export_makes_no_network_call(sample_copy: Path, tmp_path: Path):
    # A private copy: in the same worker an AppTest may hold the shared sample store open,
    # and DuckDB lets no other process open a file that one holds.
    traces = tmp_path / "trace"
    out = tmp_path / "pack"
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-ff",
            "-yy",  # each descriptor's protocol and ends, which the reader needs
            "-qq",
            "-e",
            "trace=network",
            "-e",
            "signal=none",
            "-o",
            str(traces),
            sys.executable,
            "-m",
            "dashboard",
            "export",
            "--consultation",
            CONSULTATION,
            "--db",
            str(sample_copy),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert list((out / "charts").glob("*.png")), "the export drew no chart: Chromium never ran"
    files = list(tmp_path.glob("trace.*"))
    assert len(files) > 3, "strace followed no browser process"
    problems = [p for f in files for p in network_problems(f.read_text(errors="replace"))]
    assert not problems, "\n".join(problems[:20])


def test_the_renderer_starts_chromium_offline():
    cli = render.OfflineChromium.get_cli.__qualname__
    assert cli.startswith("OfflineChromium")
    for flag in ("--proxy-server=127.0.0.1:9", "--no-pings", "--disable-background-networking"):
        assert flag in render.OFFLINE_FLAGS
