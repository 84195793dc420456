"""Processes the CLI starts and the ports they need: who holds a port, a process group stopped as a
whole (signal forwarded, a grace period, then SIGKILL for what is left).

Reads /proc (Linux) for a port's holder and a group's members; psutil is used instead when it is
installed. Elsewhere a busy port is still reported, without its holder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class PortHolder:
    pid: int
    command: str  # its command line, or its name when the command line cannot be read


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could not listen on `host:port` now (someone listens there, or on all
    addresses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def port_holders(port: int) -> list[PortHolder]:
    """The processes listening on TCP `port` (IPv4 or IPv6), as far as this user can see them."""
    try:
        import psutil  # type: ignore[import-not-found]
    except ImportError:
        return _proc_port_holders(port)
    holders = {}
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port \
                    and conn.pid:
                holders[conn.pid] = PortHolder(conn.pid, command_line(conn.pid))
    except psutil.AccessDenied:
        return _proc_port_holders(port)
    return sorted(holders.values(), key=lambda h: h.pid)


def _proc_port_holders(port: int) -> list[PortHolder]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the socket's inode.
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return []
    holders = []
    for pid in _pids():
        try:
            fds = os.listdir(PROC / str(pid) / "fd")
        except OSError:  # gone, or another user's
            continue
        for fd in fds:
            try:
                if os.readlink(PROC / str(pid) / "fd" / fd) in inodes:
                    holders.append(PortHolder(pid, command_line(pid)))
                    break
            except OSError:
                continue
    return holders


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
        if raw:
            return " ".join(part.decode(errors="replace") for part in raw.rstrip(b"\0").split(b"\0"))
        return f"[{(PROC / str(pid) / 'comm').read_text().strip()}]"
    except OSError:
        return "?"


def describe_busy_port(port: int, alternative: str = "pick another port with --port N") -> str:
    """A busy port, what holds it and how to free it or go around it."""
    holders = port_holders(port)
    if not holders:
        return (f"port {port} is already in use by a process this user cannot see (another "
                f"user's, or a container's; `sudo ss -ltnp 'sport = :{port}'` names it): "
                f"{alternative}")
    held = "; ".join(f"pid {h.pid} ({_shorten(h.command)})" for h in holders)
    return (f"port {port} is already in use by {held}: stop it (kill "
            f"{' '.join(str(h.pid) for h in holders)}) or {alternative}")


def _shorten(command: str, limit: int = 160) -> str:
    return command if len(command) <= limit else command[:limit - 3] + "..."


def _pids() -> Iterable[int]:
    try:
        names = os.listdir(PROC)
    except OSError:
        return []
    return [int(name) for name in names if name.isdigit()]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, pgid) of a process, or None when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the name may hold spaces and parentheses
    return fields[0], int(fields[1]), int(fields[2])


def alive(pid: int) -> bool:
    """Running (a zombie, dead and waiting to be reaped, is not)."""
    if PROC.is_dir():
        stat = _stat(pid)
        return stat is not None and stat[0] not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group."""
    if not PROC.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for pid in _pids():
        stat = _stat(pid)
        if stat is not None and stat[2] == pgid and stat[0] not in ("Z", "X"):
            members.append(pid)
    return members


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (children, theirs, ...)."""
    children: dict[int, list[int]] = {}
    for other in _pids():
        stat = _stat(other)
        if stat is not None and stat[0] not in ("Z", "X"):
            children.setdefault(stat[1], []).append(other)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class ProcessGroup:
    """A command in its own session and process group, and everything it starts."""

    def __init__(self, command: Sequence[str], **popen: object) -> None:
        self.process = subprocess.Popen(command, start_new_session=True, **popen)  # type: ignore[call-overload]
        self.pgid = self.process.pid  # the session leader's pid is its group's id
        self._known: set[int] = set()

    def members(self) -> list[int]:
        """Its processes: the group, and any descendant that left it (a new session of its own)."""
        found = set(group_members(self.pgid)) | set(descendants(self.process.pid))
        found |= {pid for pid in self._known if alive(pid)}
        return sorted(found)

    def send(self, signum: int) -> None:
        """`signum` to the group, and to any process of it that left the group."""
        in_group = set(group_members(self.pgid))
        self._known.update(self.members())
        try:
            os.killpg(self.pgid, signum)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in self._known - in_group:  # those that left the group
            if alive(pid):
                try:
                    os.kill(pid, signum)
                except (ProcessLookupError, PermissionError):
                    pass

    def wait_gone(self, timeout: float) -> bool:
        """Wait until every process of it has ended; whether they all did within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            self.process.poll()  # reap the leader, so it does not linger as a zombie
            if not self.members():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)
