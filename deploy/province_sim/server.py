"""The simulator's server: a threaded HTTP server over an in-memory province, with fault modes."""

import contextlib
import json
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Faults:
    fail_rate: float = 0.0  # share of requests answered 503 without doing anything
    timeout_rate: float = 0.0  # share of record POSTs stored, then answered after `timeout_seconds` (client gives up)
    timeout_seconds: float = 3.0
    slow_seconds: float = 0.0  # every answer waits this long
    duplicate_acks: bool = False  # every ack sent twice
    shuffle_acks: bool = False  # acks in random order
    strict: bool = False  # a batch with a bad record is refused whole (422, naming the bad keys)
    fail_updates_after: int | None = None  # GET /api/updates fails (503) once this many updates were handed out
    refuse: list[str] = field(default_factory=list)  # "type:local_id" of records the province's checks refuse
    seed: int = 7


@dataclass
class Province:
    api_key: str | None = None
    faults: Faults = field(default_factory=Faults)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> record
    applied: dict[str, int] = field(default_factory=dict)  # key -> times stored (must stay 1)
    requests: int = 0
    updates: list[dict[str, Any]] = field(default_factory=list)
    update_cursors: list[int] = field(default_factory=list)  # cursors asked for, in order
    handed_out: int = 0
    # Demo: the province answers each household it received with its own 帮扶状态 and 收入核实 (see _react).
    react: bool = False
    received_households: list[int] = field(default_factory=list)  # since the last page was read
    due_households: list[int] = field(default_factory=list)  # answered when the next page is read
    answered: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=random.Random)

    def add_update(self, **update: Any) -> dict[str, Any]:
        with self.lock:
            return self._append(update)

    def _append(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"seq": len(self.updates) + 1, **update}
        self.updates.append(update)
        return update

    def _react(self) -> None:
        """Answer the households received before the previous page was read (so the district's last pull had
        already seen its own change and the answer is no conflict): a 帮扶状态, and last year's income as the
        province verified it — deterministic from the id, some below the monitoring threshold."""
        for local_id in self.due_households:
            if local_id in self.answered:
                continue
            self.answered.add(local_id)
            status = ("帮扶中", "帮扶完成", "待帮扶")[local_id % 3]
            self._append({"type": "assistance_status", "household_local_id": local_id, "assistance_status": status})
            verified = {
                "year": date.today().year - 1,
                "per_capita_net_income": f"{6000 + (local_id * 977) % 6000}.00",
                "verified_on": date.today().isoformat(),
            }
            self._append({"type": "income_verified", "household_local_id": local_id, "income_verified": verified})
        self.due_households, self.received_households = self.received_households, []

    def accept(self, records: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        bad = {r.get("key"): reason for r in records if (reason := _refusal(r, self.faults.refuse))}
        if bad and self.faults.strict:
            return 422, {"title": "bad records", "errors": [{"key": k, "reason": v} for k, v in bad.items()]}
        acks = []
        with self.lock:
            for record in records:
                key = str(record.get("key"))
                if key in bad:
                    acks.append({"key": key, "status": "rejected", "reason": bad[key]})
                elif key in self.records:
                    acks.append({"key": key, "status": "duplicate", "reason": None})
                else:
                    self.records[key] = record
                    self.applied[key] = self.applied.get(key, 0) + 1
                    acks.append({"key": key, "status": "accepted", "reason": None})
                    self._note_household(record)
            if self.faults.duplicate_acks:
                acks = acks + acks
            if self.faults.shuffle_acks:
                self.rng.shuffle(acks)
        return 200, {"acks": acks}

    def _note_household(self, record: dict[str, Any]) -> None:
        if not self.react:
            return
        data = record.get("data") or {}
        local_id = record.get("local_id") if record.get("type") == "household" else data.get("household_id")
        if isinstance(local_id, int) and local_id not in self.received_households:
            self.received_households.append(local_id)

    def page(self, cursor: int, limit: int) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.update_cursors.append(cursor)
            after = self.faults.fail_updates_after
            if after is not None and self.handed_out >= after:
                return 503, {"title": "unavailable"}
            if self.react:
                self._react()
            found = [u for u in self.updates if u["seq"] > cursor][:limit]
            self.handed_out += len(found)
        return 200, {"updates": found, "next_cursor": found[-1]["seq"] if found else cursor}


def _refusal(record: dict[str, Any], refuse: list[str]) -> str | None:
    code = str(record.get("region_code") or "")
    if len(code) != 12 or not code.isdigit():
        return "行政区划代码须为12位数字"
    if (record.get("data") or {}).get("bad") or f"{record.get('type')}:{record.get('local_id')}" in refuse:
        return "记录未通过省级校验"
    return None


def make_handler(province: Province) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # The client may have given up (a timeout fault): what was stored stays stored.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def _body(self) -> Any:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            return json.loads(raw or b"null")

        def _faulty(self) -> bool:
            faults = province.faults
            with province.lock:
                province.requests += 1
                failing = province.rng.random() < faults.fail_rate
            if faults.slow_seconds:
                time.sleep(faults.slow_seconds)
            if failing:
                self._answer(503, {"title": "unavailable"})
            return failing

        def _authorised(self) -> bool:
            if province.api_key and self.headers.get("X-API-Key") != province.api_key:
                self._answer(401, {"title": "bad key"})
                return False
            return True

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            body = self._body()
            if path == "/_faults":
                province.faults = Faults(**body)
                province.rng.seed(province.faults.seed)
                return self._answer(200, asdict(province.faults))
            if path == "/_updates":
                return self._answer(200, {"added": [province.add_update(**u) for u in body]})
            if path != "/api/records":
                return self._answer(404, {"title": "not found"})
            if not self._authorised() or self._faulty():
                return None
            records = (body or {}).get("records")
            if not isinstance(records, list):
                return self._answer(400, {"title": "records must be a list"})
            status, answer = province.accept(records)
            with province.lock:
                timing_out = province.rng.random() < province.faults.timeout_rate
            if timing_out:
                time.sleep(province.faults.timeout_seconds)
            return self._answer(status, answer)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/_state":
                return self._answer(
                    200,
                    {"records": len(province.records), "updates": len(province.updates), "requests": province.requests},
                )
            if url.path != "/api/updates":
                return self._answer(404, {"title": "not found"})
            if not self._authorised() or self._faulty():
                return None
            query = parse_qs(url.query)
            status, answer = province.page(int(query.get("cursor", ["0"])[0]), int(query.get("limit", ["500"])[0]))
            return self._answer(status, answer)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def start(province: Province, host: str = "127.0.0.1", port: int = 0) -> tuple[str, ThreadingHTTPServer]:
    """Serve in a background thread; returns the base URL and the server (call shutdown() to stop)."""
    province.rng.seed(province.faults.seed)
    server = ThreadingHTTPServer((host, port), make_handler(province))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{host}:{server.server_address[1]}", server
