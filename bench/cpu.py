"""Where a run's CPU went: cores used by each group of processes between two samples of /proc
(utime + stime of every process, plus what each reaped of its exited children), beside the
machine's total, so that a figure says what limited it.

A group is named by its root processes and holds their descendants, down to the root of another
group (the benchmark starts gunicorn, the workers and the sink as its own children, so they are
split off it). PostgreSQL and Redis are found by name and counted whole: they are shared with
whatever else runs on the machine, and so is "other" (the machine's total less the groups)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
SERVERS = {"postgres": ("postgres", "postmaster"), "redis": ("redis-server",)}


@dataclass(frozen=True)
class _Process:
    parent: int
    name: str
    ticks: int  # its own utime + stime, plus cutime + cstime of the children it reaped


def _processes() -> dict[int, _Process]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[1] ppid; [11] utime, [12] stime, [13] cutime, [14] cstime (proc(5), from 3)
        found[int(entry.name)] = _Process(int(fields[1]), name,
                                          sum(int(value) for value in fields[11:15]))
    return found


def _machine_busy_ticks() -> int:
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[:8])
    return user + nice + system + irq + softirq + steal


def _server_roots(table: dict[int, _Process], names: tuple[str, ...]) -> list[int]:
    return [pid for pid, process in table.items() if process.name in names
            and table.get(process.parent, _Process(0, "", 0)).name not in names]


class CpuMeter:
    """meter = CpuMeter({"workers": [pid, …], "web": [pid]}); meter.start(); …;
    meter.stop() → {"workers": 1.12, "web": 0.05, "postgres": 0.3, …, "machine": 1.9} cores."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = {name: list(pids) for name, pids in groups.items()}
        self.groups.setdefault("bench client", [os.getpid()])
        self.before: dict[str, int] = {}
        self.started = 0.0

    def _sample(self) -> dict[str, int]:
        table = _processes()
        roots = {}
        for name, pids in self.groups.items():
            roots.update(dict.fromkeys(pids, name))
        for name, names in SERVERS.items():
            roots.update(dict.fromkeys(_server_roots(table, names), name))
        totals = dict.fromkeys([*self.groups, *SERVERS], 0)
        for pid, process in table.items():
            group, seen = None, pid
            for _depth in range(64):
                if seen in roots:
                    group = roots[seen]
                    break
                seen = table[seen].parent if seen in table else 0
                if seen <= 1:
                    break
            if group is not None:
                totals[group] += process.ticks
        totals["machine"] = _machine_busy_ticks()
        return totals

    def start(self) -> None:
        self.before = self._sample()
        self.started = time.monotonic()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        seconds = time.monotonic() - self.started
        used = {name: max(0, after[name] - self.before.get(name, 0)) / TICKS / seconds
                for name in after}
        used["other"] = max(0.0, used["machine"] - sum(
            value for name, value in used.items() if name != "machine"))
        return {name: round(value, 2) for name, value in used.items()}
