"""A fault-injecting, OpenAI-compatible stub server for tests and benchmarks.

Loopback only (binds 127.0.0.1; any other host is refused). Stdlib HTTP server in a
background thread. Answers are *synthetic* (`pipeline.testing.synthetic.completion_for`:
every string reads "synthetic ..."), never a stand-in for model output.

    POST /v1/chat/completions  synthetic completion (or an injected fault)
    GET  /v1/models            one model
    anything else              404 JSON

Faults (drawn per chat request from `random.Random(seed)`, in arrival order):

    timeout         sleep `timeout_sleep_s` (longer than the client timeout), then close
    429             rate limited, with `Retry-After` / `retry-after-ms` headers
    500             internal server error (no Retry-After unless `error_retry_after_s`)
    truncated       200 whose JSON body is cut in the middle
    invalid_json    200 completion whose content is not JSON
    schema_invalid  200 completion whose content is JSON with a field of the wrong type

`reject_json_schema=True` answers HTTP 500 mentioning response_format to every request
with `response_format.type == "json_schema"`, like older llama.cpp servers do.

    with run_stub(StubConfig(latency_s=0.01, fault_rate=0.3, seed=1)) as stub:
        settings = load_settings(backend="openai", base_url=stub.base_url, api_key="test")
        ...
        print(stub.stats())

By hand: `python -m pipeline.testing.stub_server --port 8765 --latency 0.5 --fault-rate 0.3 --seed 1`.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from pipeline.llm.cassette import NODE_HEADER
from pipeline.llm.keys import request_key
from pipeline.testing.synthetic import SYNTHETIC, completion_for, instance_for, plain_answer

FAULT_KINDS: tuple[str, ...] = ("timeout", "429", "500", "truncated", "invalid_json", "schema_invalid")
REJECT = "reject_json_schema"
LOOPBACK = "127.0.0.1"
STUB_MODEL = "negoprep-stub"
_SCHEMA_MARKER = "JSON schema:"


@dataclass
class StubConfig:
    """How the stub behaves. Latencies in seconds."""

    latency_s: float = 0.0
    per_token_s: float = 0.0
    fault_rate: float = 0.0
    faults: tuple[str, ...] = FAULT_KINDS
    seed: int | None = None
    timeout_sleep_s: float = 10.0
    retry_after_s: float = 0.02
    error_retry_after_s: float | None = None
    reject_json_schema: bool = False
    truncate_mode: Literal["body", "connection"] = "body"
    model: str = STUB_MODEL

    def __post_init__(self) -> None:
        if isinstance(self.faults, str):
            self.faults = tuple(f.strip() for f in self.faults.split(",") if f.strip())
        self.faults = tuple(self.faults)
        unknown = [f for f in self.faults if f not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kind(s) {unknown}; known: {', '.join(FAULT_KINDS)}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        if self.fault_rate > 0 and not self.faults:
            raise ValueError("fault_rate > 0 needs at least one fault kind")
        for name in ("latency_s", "per_token_s", "timeout_sleep_s", "retry_after_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.truncate_mode not in ("body", "connection"):
            raise ValueError("truncate_mode must be 'body' or 'connection'")


class _Draws:
    """The seeded fault sequence: exactly two draws per chat request, so request i's fault
    depends only on the seed and i (not on which faults came before)."""

    def __init__(self, config: StubConfig):
        self.config = config
        self.rng = random.Random(config.seed)

    def next(self) -> str | None:
        hit = self.rng.random() < self.config.fault_rate
        pick = self.rng.random()
        if not hit or not self.config.faults:
            return None
        return self.config.faults[min(int(pick * len(self.config.faults)), len(self.config.faults) - 1)]


def fault_plan(config: StubConfig, n: int) -> list[str | None]:
    """The faults the first `n` chat requests will get (None = normal answer)."""
    draws = _Draws(config)
    return [draws.next() for _ in range(n)]


def _schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The requested JSON schema: from `response_format`, else from a message saying
    "... JSON schema:\\n{...}" (the json_object fallback puts it in the prompt)."""
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema")
    if schema:
        return schema
    for message in reversed(body.get("messages") or []):
        text = message.get("content")
        if not isinstance(text, str) or _SCHEMA_MARKER not in text:
            continue
        rest = text.split(_SCHEMA_MARKER, 1)[1]
        start = rest.find("{")
        if start == -1:
            continue
        try:
            found, _ = json.JSONDecoder().raw_decode(rest[start:])
        except json.JSONDecodeError:
            continue
        if isinstance(found, dict):
            return found
    return None


def synthetic_content(body: dict[str, Any]) -> str:
    """The synthetic answer's content: a minimal valid instance of the requested schema, or a plain-text
    request's last message back."""
    if not body.get("response_format"):
        return plain_answer(body)
    schema = _schema_of(body) or {"type": "object"}
    return json.dumps(instance_for(schema, tag=request_key(body)[:8]))


def _schema_invalid_content(body: dict[str, Any]) -> str:
    """Valid JSON that breaks the schema: its first field of the wrong type (a strict schema lists every field
    as required, and the client's models give most of them defaults, so a missing field need not be an error)."""
    schema = _schema_of(body) or {"type": "object"}
    instance = instance_for(schema, tag="fault")
    if isinstance(instance, dict) and instance:
        first, value = next(iter(instance.items()))
        instance[first] = [] if isinstance(value, str) else "schema_invalid"
    else:
        instance = {}
    instance[f"{SYNTHETIC}_fault"] = "schema_invalid"
    return json.dumps(instance)


def _error(message: str, kind: str, code: int | str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code}}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    stub: StubServer

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (as after a timeout fault) is normal here; anything else is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "negoprep-stub"
    timeout = 120  # idle keep-alive connections
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls
    server: _HTTPServer

    # -- plumbing -------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.server.stub._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.server.stub._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        if self.server.stub.verbose:
            super().log_message(format, *args)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True  # chunked bodies are not supported; do not reuse
            return b""
        return self.rfile.read(int(length))

    def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None,
              declared_length: int | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload) if declared_length is None else declared_length))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:  # the client gave up (its timeout) or went away
            self.close_connection = True

    def _send_json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data).encode("utf-8"), headers)

    def _not_found(self) -> None:
        self.server.stub._count_request()
        self._read_body()
        self._send_json(404, _error(f"no route for {self.command} {self.path} (negoprep stub)", "not_found_error", 404))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_found

    # -- routes ---------------------------------------------------------------------
    def do_GET(self) -> None:
        if self.path.split("?", 1)[0].rstrip("/") != "/v1/models":
            return self._not_found()
        stub = self.server.stub
        stub._count_request()
        model = {"id": stub.config.model, "object": "model", "created": 0, "owned_by": f"{SYNTHETIC}-stub"}
        self._send_json(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0].rstrip("/") != "/v1/chat/completions":
            return self._not_found()
        stub = self.server.stub
        stub._count_request()
        try:
            body = json.loads(self._read_body() or b"null")
            if not isinstance(body, dict):
                raise ValueError("the request body is not a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            return self._send_json(400, _error(f"invalid request body: {exc}", "invalid_request_error", 400))
        node = self.headers.get(NODE_HEADER, "")
        fmt = (body.get("response_format") or {}).get("type", "none")
        outcome = stub._plan(node, fmt)
        getattr(self, "_answer_" + (outcome or "ok"))(body, stub)

    # -- outcomes -------------------------------------------------------------------
    def _latency(self, stub: StubServer, content: str = "") -> None:
        seconds = stub.config.latency_s + stub.config.per_token_s * (len(content) / 4)
        if seconds > 0:
            stub._stopping.wait(seconds)

    def _completion(self, body: dict[str, Any], stub: StubServer, content: str) -> None:
        self._latency(stub, content)
        self._send_json(200, completion_for(body, content=content))

    def _answer_ok(self, body: dict[str, Any], stub: StubServer) -> None:
        self._completion(body, stub, synthetic_content(body))

    def _answer_invalid_json(self, body: dict[str, Any], stub: StubServer) -> None:
        self._completion(body, stub, f"{SYNTHETIC} answer that is not JSON (stub fault: invalid_json)")

    def _answer_schema_invalid(self, body: dict[str, Any], stub: StubServer) -> None:
        self._completion(body, stub, _schema_invalid_content(body))

    def _answer_truncated(self, body: dict[str, Any], stub: StubServer) -> None:
        content = synthetic_content(body)
        self._latency(stub, content)
        payload = json.dumps(completion_for(body, content=content)).encode("utf-8")
        cut = payload[: len(payload) // 2]
        if stub.config.truncate_mode == "connection":
            # Declares the full length, sends half, closes: the client sees a protocol error.
            self.close_connection = True
            self._send(200, cut, declared_length=len(payload))
        else:
            # A well-framed 200 whose JSON body is cut in the middle.
            self._send(200, cut)

    def _answer_timeout(self, body: dict[str, Any], stub: StubServer) -> None:
        stub._stopping.wait(stub.config.timeout_sleep_s)
        self.close_connection = True  # no answer at all; the connection just closes

    def _answer_429(self, body: dict[str, Any], stub: StubServer) -> None:
        self._latency(stub)
        wait = stub.config.retry_after_s
        headers = {"Retry-After": str(int(wait)), "retry-after-ms": str(max(0, round(wait * 1000)))}
        self._send_json(429, _error("rate limited (negoprep stub fault: 429)", "rate_limit_error", 429), headers)

    def _answer_500(self, body: dict[str, Any], stub: StubServer) -> None:
        self._latency(stub)
        wait = stub.config.error_retry_after_s
        headers = None if wait is None else {
            "Retry-After": str(int(wait)), "retry-after-ms": str(max(0, round(wait * 1000)))}
        # Deliberately says nothing about formats, so it cannot pass for a format rejection.
        self._send_json(500, _error("internal server error (negoprep stub fault: 500)", "server_error", 500), headers)

    def _answer_reject_json_schema(self, body: dict[str, Any], stub: StubServer) -> None:
        self._latency(stub)
        message = ('response_format type must be one of "text" or "json_object", but got: json_schema '
                   "(negoprep stub, reject_json_schema)")
        self._send_json(500, _error(message, "server_error", 500))


class StubServer:
    """The stub, serving on 127.0.0.1 from a background thread. Use `run_stub(config)`."""

    def __init__(self, config: StubConfig | None = None, port: int = 0, host: str = LOOPBACK,
                 verbose: bool = False):
        if host not in (LOOPBACK, "localhost"):
            raise ValueError(f"the stub server binds {LOOPBACK} only (refusing host {host!r})")
        self.config = config or StubConfig()
        self.verbose = verbose
        self._requested = (LOOPBACK, port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> StubServer:
        if self._httpd is not None:
            raise RuntimeError("the stub server is already running")
        httpd = _HTTPServer(self._requested, _Handler)
        if httpd.server_address[0] != LOOPBACK:  # belt and braces
            httpd.server_close()
            raise RuntimeError(f"the stub server bound {httpd.server_address[0]}, not {LOOPBACK}")
        httpd.stub = self
        self._stopping.clear()
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="negoprep-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping through latency or a timeout fault
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        if self._httpd is None:
            raise RuntimeError("the stub server is not running")
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def port(self) -> int:
        return self.address[1]

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1"

    # -- counters -------------------------------------------------------------------
    def reset(self) -> None:
        """Zero the counters and restart the seeded fault sequence."""
        with self._lock:
            self._draws = _Draws(self.config)
            self._requests = 0
            self._chat = 0
            self._faults: Counter[str] = Counter()
            self._nodes: Counter[str] = Counter()
            self._formats: Counter[str] = Counter()
            self._log: list[dict[str, Any]] = []

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def _count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def _plan(self, node: str, fmt: str) -> str | None:
        """Count one chat request and decide its outcome (None = normal answer)."""
        with self._lock:
            index = self._chat
            self._chat += 1
            self._nodes[node or "-"] += 1
            self._formats[fmt] += 1
            outcome = self._draws.next()  # drawn for every request, so the sequence stays aligned
            if self.config.reject_json_schema and fmt == "json_schema":
                outcome = REJECT
            if outcome:
                self._faults[outcome] += 1
            self._log.append({"index": index, "node": node, "format": fmt, "outcome": outcome or "ok"})
        return outcome

    def stats(self) -> dict[str, Any]:
        """A snapshot: requests (all HTTP), chat_requests, answered (normal answers), faults
        per kind, chat requests per node (`x-negoprep-node`) and per response_format type,
        and the per-request log (index, node, format, outcome)."""
        with self._lock:
            faults = {kind: self._faults.get(kind, 0) for kind in FAULT_KINDS}
            if self.config.reject_json_schema:
                faults[REJECT] = self._faults.get(REJECT, 0)
            return {
                "requests": self._requests,
                "chat_requests": self._chat,
                "answered": self._chat - sum(self._faults.values()),
                "faults": faults,
                "nodes": dict(self._nodes),
                "formats": dict(self._formats),
                "log": [dict(entry) for entry in self._log],
            }


@contextmanager
def run_stub(config: StubConfig | None = None, port: int = 0, verbose: bool = False) -> Iterator[StubServer]:
    """Start a stub on a free loopback port; stop it on exit."""
    server = StubServer(config, port=port, verbose=verbose).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.testing.stub_server",
        description="Fault-injecting OpenAI-compatible stub server (synthetic answers, loopback only).",
    )
    parser.add_argument("--host", default=LOOPBACK, help=f"only {LOOPBACK} (or localhost) is accepted")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per call")
    parser.add_argument("--per-token", type=float, default=0.0, help="extra seconds per answer token (chars/4)")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="probability of a fault per call (0..1)")
    parser.add_argument("--faults", default=",".join(FAULT_KINDS), help="comma-separated fault kinds")
    parser.add_argument("--seed", type=int, default=None, help="seed for a reproducible fault sequence")
    parser.add_argument("--timeout-sleep", type=float, default=10.0, help="seconds a `timeout` fault hangs")
    parser.add_argument("--retry-after", type=float, default=0.02, help="seconds advertised on 429")
    parser.add_argument("--error-retry-after", type=float, default=None, help="seconds advertised on 500")
    parser.add_argument("--truncate-mode", choices=("body", "connection"), default="body")
    parser.add_argument("--reject-json-schema", action="store_true",
                        help="answer 500 to response_format json_schema (like older llama.cpp)")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = parser.parse_args(argv)
    try:
        config = StubConfig(
            latency_s=args.latency, per_token_s=args.per_token, fault_rate=args.fault_rate,
            faults=args.faults, seed=args.seed, timeout_sleep_s=args.timeout_sleep,
            retry_after_s=args.retry_after, error_retry_after_s=args.error_retry_after,
            reject_json_schema=args.reject_json_schema, truncate_mode=args.truncate_mode,
        )
        server = StubServer(config, port=args.port, host=args.host, verbose=not args.quiet)
        server.start()
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    try:  # the banner inside: an interrupt right after it still stops the server cleanly
        print(f"negoprep stub (synthetic answers) at {server.base_url}  (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        stats = server.stats()
        stats.pop("log")
        print(json.dumps(stats, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
