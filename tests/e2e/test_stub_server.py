"""The fault-injecting stub server, and the real graph run against it over the network.

Every answer the stub gives is synthetic (labelled "synthetic ..."), never model output.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter

import httpx
import pytest
from pydantic import ValidationError

from pipeline.llm.structured import parse_json_lenient
from pipeline.testing.stub_server import FAULT_KINDS, StubConfig, StubServer, fault_plan, run_stub
from pipeline.testing.synthetic import instance_for
from pipeline.schemas import ChallengeMoves, DealProfile, PrepReport, llm_schema
from tests.conftest import DATA, ROOT, interruptible, run_calls, run_prep

NODE = "x-negoprep-node"


def _body(fmt: str = "json_schema") -> dict:
    schema = llm_schema(DealProfile)
    body = {"model": "stub-test", "messages": [{"role": "user", "content": "synthetic test request"}]}
    if fmt == "json_schema":
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": "DealProfile", "schema": schema}}
    elif fmt == "json_object":
        body["response_format"] = {"type": "json_object"}
        body["messages"].append({"role": "system", "content": "Answer with one JSON object matching this JSON schema:\n"
                                                              + json.dumps(schema)})
    return body


def _post(stub: StubServer, body: dict | None = None, node: str = "test", timeout: float = 5.0,
          client: httpx.Client | None = None) -> httpx.Response:
    post = client.post if client is not None else httpx.post
    return post(f"{stub.base_url}/chat/completions", json=body or _body(), headers={NODE: node}, timeout=timeout)


def _only(kind: str, **extra) -> StubConfig:
    return StubConfig(fault_rate=1.0, faults=(kind,), **extra)


# -- plain answers and routes ------------------------------------------------------------

def test_answers_synthetic_valid_completions_and_lists_one_model():
    with run_stub() as stub:
        response = _post(stub)
        assert response.status_code == 200
        content = response.json()["choices"][0]["message"]["content"]
        profile = DealProfile.model_validate(json.loads(content))
        assert "synthetic" in content and profile
        models = httpx.get(f"{stub.base_url}/models").json()
        assert models["object"] == "list" and len(models["data"]) == 1
        stats = stub.stats()
    assert stats["requests"] == 2 and stats["chat_requests"] == 1 and stats["answered"] == 1
    assert sum(stats["faults"].values()) == 0


def test_json_object_requests_get_the_schema_from_the_prompt():
    with run_stub() as stub:
        content = _post(stub, _body("json_object")).json()["choices"][0]["message"]["content"]
    DealProfile.model_validate(json.loads(content))


def test_unknown_routes_are_404_json_and_bad_bodies_400():
    with run_stub() as stub, httpx.Client(base_url=stub.base_url) as client:
        for method, path in [("GET", "/nope"), ("POST", "/completions"), ("DELETE", "/models"),
                             ("GET", "/chat/completions"), ("PUT", "/chat/completions")]:
            response = client.request(method, path, json={})
            assert response.status_code == 404, (method, path)
            assert "error" in response.json()
        bad = client.post("/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
        assert bad.status_code == 400 and "error" in bad.json()
        assert stub.stats()["requests"] == 6


def test_config_is_validated():
    with pytest.raises(ValueError):
        StubConfig(faults=("meteor",))
    with pytest.raises(ValueError):
        StubConfig(fault_rate=1.5)
    assert StubConfig(faults="429, 500").faults == ("429", "500")


# -- each fault kind ---------------------------------------------------------------------

def _recording_waits(stub) -> list[list]:
    """Record the stub's sleeps as they start: [seconds asked for, woken by stop() rather than
    elapsed (None while asleep)]."""
    waits: list[list] = []
    original = stub._stopping.wait

    def wait(seconds):
        waits.append(entry := [seconds, None])
        entry[1] = original(seconds)
        return entry[1]

    stub._stopping.wait = wait
    return waits


def test_timeout_fault_outlasts_the_client_timeout():
    with run_stub(_only("timeout", timeout_sleep_s=5)) as stub:
        waits = _recording_waits(stub)
        with pytest.raises(httpx.ReadTimeout):
            _post(stub, timeout=0.2)
        assert stub.stats()["faults"]["timeout"] == 1
    for _ in range(1000):  # the handler thread notices stop() on its own schedule
        if waits and waits[0][1] is not None:
            break
        threading.Event().wait(0.01)
    assert waits == [[5, True]], "the handler slept for the fault and stop() woke it"


def test_timeout_fault_closes_without_answering():
    with run_stub(_only("timeout", timeout_sleep_s=0.1)) as stub:
        with pytest.raises(httpx.RemoteProtocolError):
            _post(stub, timeout=3)


def test_429_fault_carries_a_small_retry_after():
    with run_stub(_only("429", retry_after_s=0.02)) as stub:
        response = _post(stub)
        assert stub.stats()["faults"]["429"] == 1
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0"
    assert response.headers["retry-after-ms"] == "20"
    assert response.json()["error"]["type"] == "rate_limit_error"


def test_500_fault_does_not_look_like_a_format_rejection():
    with run_stub(_only("500")) as stub:
        response = _post(stub)
    assert response.status_code == 500
    assert "retry-after" not in response.headers
    message = response.json()["error"]["message"].lower()
    assert "schema" not in message and "response_format" not in message


def test_truncated_fault_cuts_the_json_body_in_the_middle():
    with run_stub() as stub:
        full = _post(stub).content
    with run_stub(_only("truncated")) as stub:
        response = _post(stub)
        assert stub.stats()["faults"]["truncated"] == 1
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert full.startswith(response.content) and len(response.content) == len(full) // 2


def test_truncated_connection_mode_drops_the_connection_mid_body():
    with run_stub(_only("truncated", truncate_mode="connection")) as stub:
        with pytest.raises(httpx.RemoteProtocolError):
            _post(stub)


def test_invalid_json_fault_is_a_200_whose_content_is_not_json():
    with run_stub(_only("invalid_json")) as stub:
        response = _post(stub)
    assert response.status_code == 200
    content = response.json()["choices"][0]["message"]["content"]
    assert "synthetic" in content
    with pytest.raises(json.JSONDecodeError):
        parse_json_lenient(content)


def test_schema_invalid_fault_is_json_with_a_field_of_the_wrong_type():
    """Also for a schema whose every field has a default (the challenger's second part): a strict schema lists
    them all as required, so leaving them out would be a valid answer."""
    for output in (DealProfile, ChallengeMoves):
        with run_stub(_only("schema_invalid")) as stub:
            response = _post(stub, {**_body("json_schema"), "response_format": {
                "type": "json_schema", "json_schema": {"name": "answer", "schema": llm_schema(output)}}})
        data = json.loads(response.json()["choices"][0]["message"]["content"])
        valid = instance_for(llm_schema(output))
        first = next(iter(valid))
        assert first in data and type(data[first]) is not type(valid[first])
        with pytest.raises(ValidationError):
            output.model_validate(data)


def test_reject_json_schema_answers_500_only_to_json_schema_requests():
    with run_stub(StubConfig(reject_json_schema=True)) as stub:
        rejected = _post(stub, _body("json_schema"))
        accepted = _post(stub, _body("json_object"))
        stats = stub.stats()
    assert rejected.status_code == 500 and "response_format" in rejected.json()["error"]["message"]
    assert accepted.status_code == 200
    DealProfile.model_validate(json.loads(accepted.json()["choices"][0]["message"]["content"]))
    assert stats["faults"]["reject_json_schema"] == 1
    assert stats["formats"] == {"json_schema": 1, "json_object": 1}


def test_latency_and_per_token_latency():
    with run_stub(StubConfig(latency_s=0.05, per_token_s=0.001)) as stub:
        waits = _recording_waits(stub)
        response = _post(stub)
    content = response.json()["choices"][0]["message"]["content"]
    assert len(waits) == 1
    assert waits[0][0] == pytest.approx(0.05 + 0.001 * len(content) / 4) and waits[0][1] is False


# -- seeds and counters ------------------------------------------------------------------

def _outcomes(config: StubConfig, n: int) -> list[str]:
    with run_stub(config) as stub, httpx.Client() as client:
        for _ in range(n):
            try:
                _post(stub, timeout=0.5, client=client)
            except httpx.HTTPError:
                pass
        return [entry["outcome"] for entry in stub.stats()["log"]]


def test_seeded_fault_sequences_repeat():
    config = dict(fault_rate=0.5, faults=("429", "500", "truncated", "invalid_json", "schema_invalid"))
    first = _outcomes(StubConfig(seed=11, **config), 30)
    again = _outcomes(StubConfig(seed=11, **config), 30)
    other = _outcomes(StubConfig(seed=12, **config), 30)
    assert first == again == [k or "ok" for k in fault_plan(StubConfig(seed=11, **config), 30)]
    assert first != other
    assert len(set(first)) >= 4


def test_fault_rate_and_kinds_follow_the_config():
    plan = fault_plan(StubConfig(fault_rate=0.3, seed=5), 6000)
    hits = [k for k in plan if k]
    assert 0.27 < len(hits) / len(plan) < 0.33
    assert set(hits) == set(FAULT_KINDS)
    assert min(Counter(hits).values()) > 200
    # which requests fail does not depend on which kinds are enabled
    only = fault_plan(StubConfig(fault_rate=0.3, seed=5, faults=("500",)), 6000)
    assert [k is None for k in plan] == [k is None for k in only]


def test_counters_are_thread_safe_and_per_node():
    config = StubConfig(fault_rate=0.5, seed=3, faults=("429", "500", "invalid_json"))
    with run_stub(config) as stub:
        def worker(node: str) -> None:
            with httpx.Client() as client:
                for _ in range(25):
                    client.post(f"{stub.base_url}/chat/completions", json=_body(), headers={NODE: node})

        threads = [threading.Thread(target=worker, args=(f"node{i}",)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats = stub.stats()
    assert stats["requests"] == stats["chat_requests"] == 200
    assert stats["nodes"] == {f"node{i}": 25 for i in range(8)}
    assert stats["answered"] + sum(stats["faults"].values()) == 200
    log = sorted(stats["log"], key=lambda e: e["index"])
    assert [e["index"] for e in log] == list(range(200))
    assert [e["outcome"] for e in log] == [k or "ok" for k in fault_plan(config, 200)]
    assert stats["faults"] == {k: v for k, v in Counter(e["outcome"] for e in log).items() if k != "ok"} | {
        k: 0 for k in FAULT_KINDS if k not in {e["outcome"] for e in log}}


# -- loopback only -----------------------------------------------------------------------

@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com", ""])
def test_refuses_any_host_but_loopback(host):
    with pytest.raises(ValueError, match="127.0.0.1"):
        StubServer(host=host)


def _non_loopback_addresses() -> set[str]:
    """This machine's own IPv4 addresses other than 127.x (no packet is sent)."""
    found: set[str] = set()
    try:
        found |= {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("203.0.113.1", 9))  # UDP connect only picks a route and a source address
        found.add(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    return {a for a in found if not a.startswith("127.") and a != "0.0.0.0"}


def test_binds_loopback_only():
    with run_stub() as stub:
        assert stub.address[0] == "127.0.0.1"
        assert stub.base_url == f"http://127.0.0.1:{stub.port}/v1"
        others = _non_loopback_addresses()
        if not others:
            pytest.skip("no non-loopback address on this machine to try")
        for address in others:
            with pytest.raises(OSError):
                socket.create_connection((address, stub.port), timeout=1).close()
        assert stub.stats()["requests"] == 0


def test_command_line_runs_and_stops_on_interrupt():
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.testing.stub_server", "--port", "0", "--seed", "1", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible,
    )
    try:
        line = proc.stdout.readline()
        base_url = line.split(" at ", 1)[1].split()[0]
        assert base_url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{base_url}/models").status_code == 200
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=60)  # a guard against a hang, not a timing check
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"the stub did not stop on SIGINT; its stderr: {err[-2000:]!r}; "
                        f"SIGINT in the test process: {signal.getsignal(signal.SIGINT)!r}")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert json.loads(out)["requests"] == 1


def test_command_line_refuses_other_hosts():
    proc = subprocess.run([sys.executable, "-m", "pipeline.testing.stub_server", "--host", "0.0.0.0", "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "127.0.0.1" in proc.stderr


# -- the real graph against the stub, over the network --------------------------------------

async def _report(stub: StubServer, **overrides) -> PrepReport:
    options = dict(backend="openai", base_url=stub.base_url, api_key="test", use_cache=False,
                   max_retries=6, timeout_s=2)
    return await run_prep(DATA / "cases" / "tiny", **(options | overrides))


# seed 187: truncated, invalid_json, 500, 429, schema_invalid early on, no timeout;
# seed 157: 500, invalid_json, 429 and one timeout (costs timeout_s = 2 s).
@pytest.mark.parametrize("seed", [187, 157])
async def test_graph_survives_moderate_seeded_faults(seed):
    # `truncated` drops the connection mid-body here (retried by the SDK); a well-framed
    # truncated 200 is not survived yet, see the xfail test below.
    config = StubConfig(latency_s=0.002, fault_rate=0.3, seed=seed, timeout_sleep_s=5, truncate_mode="connection")
    with run_stub(config) as stub:
        report = await _report(stub)
        stats = stub.stats()
    assert isinstance(report, PrepReport)
    PrepReport.model_validate(report.model_dump(mode="json"))
    injected = {k: v for k, v in stats["faults"].items() if v}
    assert len(injected) >= 3, stats
    calls = report.provenance.calls
    assert sorted(c.node for c in calls if c.outcome == "ok") == run_calls()
    # content faults go through the repair loop (one invalid attempt each); transport faults
    # are retried by the SDK and leave no call record
    assert sum(c.outcome == "invalid" for c in calls) == stats["faults"]["invalid_json"] + stats["faults"]["schema_invalid"]
    assert stats["chat_requests"] == stats["answered"] + sum(stats["faults"].values())
    assert set(stats["nodes"]) == {"extract", "challenge", "profile", "merge"}
    assert "synthetic" in report.synthesis.model_dump_json()


async def test_graph_survives_a_truncated_200_body():
    config = StubConfig(fault_rate=0.3, faults=("truncated",), seed=2)  # only request #1 truncated early on
    assert fault_plan(config, 6) == [None, "truncated", None, None, None, None]
    with run_stub(config) as stub:
        report = await _report(stub)
        stats = stub.stats()
    assert isinstance(report, PrepReport)
    truncated = stats["faults"].get("truncated", 0)
    assert truncated >= 1 and [c.outcome for c in report.provenance.calls].count("error") == truncated


async def test_rejected_json_schema_falls_back_to_json_object_without_repairs():
    max_retries = 1  # the first json_schema request goes out without SDK retries
    with run_stub(StubConfig(reject_json_schema=True)) as stub:
        report = await _report(stub, max_retries=max_retries)
        stats = stub.stats()
    assert isinstance(report, PrepReport)
    calls = report.provenance.calls
    assert [(c.attempt, c.outcome) for c in calls] == [(1, "ok")] * len(run_calls()), "no repair attempt spent on the rejection"
    # exactly one rejected call (no SDK retries of it), then one json_object call per model call
    assert stats["formats"] == {"json_schema": 1, "json_object": len(run_calls())}
    assert stats["faults"]["reject_json_schema"] == 1
    assert stats["nodes"] == {"extract": run_calls().count("extract") + 1, "challenge": run_calls().count("challenge"),
                              "profile": 1, "merge": run_calls().count("merge")}
    assert [e["format"] for e in stats["log"]][:1] == ["json_schema"]
