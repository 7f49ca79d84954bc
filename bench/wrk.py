"""Load from wrk (C: the load generator takes little of the two cores) over a fixed list of signed
API calls, each connection taking the next one in turn: latency percentiles, throughput, and the
answers counted by status class and the calls by kind.

wrk's Lua has no HMAC, so the calls are signed here before the run, all with one timestamp half
the run's length ahead of now: console.signature accepts a timestamp within five minutes either
side of the server's clock, so one set of signatures holds for a run of up to ten minutes."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from console.signature import WINDOW_MS, signed_headers


@dataclass(frozen=True)
class Call:
    kind: str  # what the results count it as: "post", "list", …
    method: str
    path: str  # with its query, as signed
    body: bytes | None = None


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    assert "]==]" not in text
    return f"[==[{text}]==]"


def _script(calls: list[Call], access_key: str, secret: str, seconds: float) -> str:
    timestamp = str(int(time.time() * 1000 + seconds * 500))
    if seconds * 500 > WINDOW_MS:
        raise ValueError(f"a run of {seconds} s outlasts one set of signatures")
    kinds = sorted({call.kind for call in calls})
    rows = []
    for call in calls:
        headers = signed_headers(call.method, call.path, access_key, secret, timestamp)
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        header_table = ", ".join(f"[{json.dumps(name)}] = {json.dumps(value)}"
                                 for name, value in headers.items())
        body = _lua_string(call.body.decode()) if call.body is not None else "nil"
        rows.append(f"  {{kind = {kinds.index(call.kind) + 1}, method = {json.dumps(call.method)},"
                    f" path = {json.dumps(call.path)}, headers = {{{header_table}}},"
                    f" body = {body}}},")
    counters = ["ok", "c3", "c4", "c5"] + [f"sent{n}" for n in range(1, len(kinds) + 1)]
    kind_names = ", ".join(json.dumps(kind) for kind in kinds)
    return "\n".join([
        "local calls = {", *rows, "}",
        f"local kinds = {{{kind_names}}}",
        "local threads = {}",
        "function setup(thread)",
        "  table.insert(threads, thread)",
        "  thread:set('offset', #threads * 7)",
        "end",
        "function init(args)",
        "  prepared = {}",
        "  for i, call in ipairs(calls) do",
        "    prepared[i] = wrk.format(call.method, call.path, call.headers, call.body)",
        "  end",
        "  n = (offset or 0) % #prepared",
        *[f"  {name} = 0" for name in counters],
        "end",
        "function request()",
        "  n = n % #prepared + 1",
        "  local name = 'sent' .. calls[n].kind",
        "  _G[name] = _G[name] + 1",
        "  return prepared[n]",
        "end",
        "function response(status, headers, body)",
        "  if status < 300 then ok = ok + 1",
        "  elseif status < 400 then c3 = c3 + 1",
        "  elseif status < 500 then c4 = c4 + 1",
        "  else c5 = c5 + 1 end",
        "end",
        "function done(summary, latency, requests)",
        "  local total = {}",
        f"  for _, name in ipairs({{{', '.join(json.dumps(c) for c in counters)}}}) do",
        "    total[name] = 0",
        "    for _, thread in ipairs(threads) do total[name] = total[name] + thread:get(name) end",
        "  end",
        "  local e = summary.errors",
        "  io.write(string.format('RESULT requests=%d duration_us=%d connect=%d read=%d"
        " write=%d timeout=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d mean_us=%d\\n',"
        " summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout,"
        " latency:percentile(50), latency:percentile(95), latency:percentile(99),"
        " latency.max, latency.mean))",
        "  io.write(string.format('COUNTS ok=%d c3=%d c4=%d c5=%d\\n', total.ok, total.c3,"
        " total.c4, total.c5))",
        "  for k, kind in ipairs(kinds) do",
        "    io.write(string.format('SENT %s=%d\\n', kind, total['sent' .. k]))",
        "  end",
        "end",
    ])


def _fields(line: str) -> dict[str, int]:
    return {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}


def _wrk(command: list[str]) -> str:
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {finished.stderr or finished.stdout}")
    return finished.stdout


def run(port: int, calls: list[Call], access_key: str, secret: str, *, connections: int,
        seconds: float, threads: int = 2, warm_up: float = 3, timeout: float = 5) -> dict:
    """wrk with `connections` connections for `seconds` (after `warm_up` seconds not counted).
    Requests that take longer than `timeout` are counted as timeouts, not in the latencies."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(_script(calls, access_key, secret, warm_up + seconds + 5))
        lua.flush()
        command = ["wrk", f"-t{threads}", f"-c{connections}", "--timeout", f"{timeout}s",
                   "-s", lua.name]
        url = f"http://127.0.0.1:{port}/"
        if warm_up:
            _wrk([*command, f"-d{round(warm_up)}s", url])
        output = _wrk([*command, f"-d{round(seconds)}s", url])
    lines = output.splitlines()
    result = _fields(next(row for row in lines if row.startswith("RESULT")))
    counts = _fields(next(row for row in lines if row.startswith("COUNTS")))
    sent = {}
    for row in lines:
        if row.startswith("SENT "):
            kind, _equals, value = row[5:].partition("=")
            sent[kind] = int(value)
    answered = counts["ok"] + counts["c3"] + counts["c4"] + counts["c5"]
    return {
        "client": f"wrk, {threads} threads", "connections": connections,
        "seconds": round(result["duration_us"] / 1e6, 1), "requests": result["requests"],
        "requests_per_second": round(result["requests"] / (result["duration_us"] / 1e6)),
        "p50_ms": round(result["p50_us"] / 1000, 1), "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1), "max_ms": round(result["max_us"] / 1000, 1),
        "answered_2xx": counts["ok"], "non_2xx": answered - counts["ok"],
        "answered_4xx": counts["c4"], "answered_5xx": counts["c5"],
        "socket_errors": {name: result[name] for name in ("connect", "read", "write",
                                                          "timeout")},
        "errors": (answered - counts["ok"] + result["connect"] + result["read"]
                   + result["write"] + result["timeout"]),
        "sent_by_kind": sent,
    }
