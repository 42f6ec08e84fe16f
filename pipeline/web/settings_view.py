"""The settings page's rows, from the same `Settings` object the run uses, without any secret."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

from pipeline.settings import Settings


@dataclass(frozen=True)
class SettingRow:
    env: str
    value: str
    meaning: str


def _redacted_url(url: str) -> str:
    """A URL without user name or password."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"\u2022\u2022\u2022@{host}" + (f":{parts.port}" if parts.port else "")))


def _shown(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if isinstance(value, SecretStr) or name == "api_key":
        return "set (hidden)" if settings.effective_api_key() else "not set"
    if name == "base_url":
        value = settings.effective_base_url()
        return _redacted_url(value) if value else "\u2014"
    return "\u2014" if value is None else str(value)


def setting_rows(settings: Settings) -> list[SettingRow]:
    """One row per setting: its env var, its value (keys never shown), what it means."""
    prefix = Settings.model_config.get("env_prefix", "")
    return [SettingRow(f"{prefix}{name.upper()}", _shown(settings, name), field.description or "")
            for name, field in Settings.model_fields.items()]
