"""The members file, the client's request (input, context, headers) and the audit log's document digests."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.errors import InputError
from pipeline.server.audit import document_digests
from pipeline.server.client import case_input, headers, run_context
from pipeline.server.team import ENGAGEMENT_HEADER, Roster, load_members, new_token, token_hash
from pipeline.settings import load_settings
from tests.conftest import CASES


def _members(tmp_path, text: str):
    path = tmp_path / "members.yaml"
    path.write_text(text)
    return path


def test_a_token_finds_its_member_and_the_engagement_a_request_acts_in(tmp_path):
    token = new_token()
    path = _members(tmp_path, f"users:\n  alice:\n    token_sha256: {token_hash(token)}\n"
                              "    engagements: [acme, northwind]\n")
    roster = Roster(path)
    alice = roster.member(token)
    assert alice.user == "alice" and roster.member("other") is None and roster.member(None) is None
    assert alice.engagement(None) == "acme" and alice.engagement("northwind") == "northwind"
    assert alice.engagement("globex") is None
    assert token not in path.read_text()


def test_membership_edits_apply_without_a_restart(tmp_path):
    token = new_token()
    path = _members(tmp_path, f"users:\n  bob:\n    token_sha256: {token_hash(token)}\n    engagements: [acme]\n")
    roster = Roster(path)
    assert roster.member(token).engagements == ("acme",)
    path.write_text(f"users:\n  bob:\n    token_sha256: {token_hash(token)}\n    engagements: [globex]\n")
    import os

    os.utime(path, ns=(1, 1))
    assert roster.member(token).engagements == ("globex",)


@pytest.mark.parametrize("text, problem", [
    ("users: [alice]", "users"),
    ("users:\n  alice:\n    token_sha256: secret\n", "SHA-256"),
    (f"users:\n  a:\n    token_sha256: {'a' * 64}\n    engagements: ['../x']\n", "invalid engagement"),
    (f"users:\n  a:\n    token_sha256: {'a' * 64}\n  b:\n    token_sha256: {'a' * 64}\n", "share a token"),
])
def test_a_malformed_members_file_is_refused(tmp_path, text, problem):
    with pytest.raises(InputError, match=problem):
        load_members(_members(tmp_path, text))


def test_the_client_sends_the_documents_and_only_settings_that_mean_the_same_there(monkeypatch, tmp_path):
    monkeypatch.setenv("NEGOPREP_SERVER_TOKEN", "t0ken")
    monkeypatch.setenv("NEGOPREP_SERVER_ENGAGEMENT", "acme")
    settings = load_settings(backend="openai", model="gpt-4o-mini", prompts_dir=tmp_path, use_cache=False)
    given = case_input(CASES / "telco-paysys", settings)
    names = sorted(p.name for p in (CASES / "telco-paysys").iterdir() if p.suffix in (".md", ".txt"))
    assert [d["name"] for d in given["documents"]] == names and given["name"] == "telco-paysys"
    assert given["documents"][0]["text"].strip() and given["our_side"]
    assert run_context(settings) == {"backend": "openai", "model": "gpt-4o-mini", "use_cache": False}
    assert headers(settings) == {"Authorization": "Bearer t0ken", ENGAGEMENT_HEADER: "acme"}


def test_the_client_needs_a_token():
    with pytest.raises(InputError, match="NEGOPREP_SERVER_TOKEN"):
        headers(load_settings())


def test_the_audit_log_keeps_names_and_hashes_not_contents():
    digests = document_digests([{"name": "a.md", "text": "secret terms"}])
    assert digests == [{"name": "a.md", "sha256": hashlib.sha256(b"secret terms").hexdigest(), "bytes": 12}]
