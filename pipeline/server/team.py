"""Who may use the team server: consultants, their tokens and their engagements, from a YAML file.

    users:
      alice:
        token_sha256: 5e88...   # `negoprep server token alice` prints a new token and this line
        engagements: [acme-renewal, northwind]

Only a token's SHA-256 is kept in the file. The first engagement listed is the user's default (a request
that names none acts in it). The file is re-read when it changes, so membership edits apply without a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.errors import InputError

ENGAGEMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ENGAGEMENT_HEADER = "x-negoprep-engagement"


@dataclass(frozen=True)
class Member:
    user: str
    token_sha256: str
    engagements: tuple[str, ...]

    def engagement(self, requested: str | None) -> str | None:
        """The engagement a request acts in: the one it names if the user is a member of it, else None;
        the user's first one when it names none."""
        if not requested:
            return self.engagements[0] if self.engagements else None
        return requested if requested in self.engagements else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def load_members(path: Path) -> dict[str, Member]:
    """The members by token hash; InputError on a malformed file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the members file: {exc}") from exc
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise InputError(f"{path}: expected a `users:` mapping")
    members: dict[str, Member] = {}
    for user, entry in users.items():
        if not isinstance(entry, dict) or not re.fullmatch(r"[0-9a-f]{64}", str(entry.get("token_sha256", ""))):
            raise InputError(f"{path}: user {user}: `token_sha256` must be a SHA-256 hex digest")
        engagements = tuple(str(e) for e in entry.get("engagements") or ())
        bad = [e for e in engagements if not ENGAGEMENT.match(e)]
        if bad:
            raise InputError(f"{path}: user {user}: invalid engagement name(s) {bad}")
        digest = str(entry["token_sha256"])
        if digest in members:
            raise InputError(f"{path}: users {members[digest].user} and {user} share a token")
        members[digest] = Member(str(user), digest, engagements)
    return members


class Roster:
    """The members file, re-read when its modification time changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._stamp: float | None = None
        self._members: dict[str, Member] = {}

    def member(self, token: str | None) -> Member | None:
        if not token:
            return None
        stamp = self.path.stat().st_mtime_ns
        if stamp != self._stamp:
            self._members, self._stamp = load_members(self.path), stamp
        digest = token_hash(token)
        for known, member in self._members.items():
            if hmac.compare_digest(known, digest):
                return member
        return None
