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


@dataclass(frozen=True)
class PlainSetting:
    """One line of the settings page for people: what, its value, what it means for the consultant."""

    label: str
    value: str
    meaning: str


def plain_settings(settings: Settings) -> list[PlainSetting]:
    """The few settings a consultant needs: where the model runs, which model, whether runs are recorded answers."""
    backend = settings.resolved_backend()
    if backend == "local":
        lines = [PlainSetting("Where the model runs", "on this computer",
                              "The case materials never leave this machine. A brief takes minutes, not seconds.")]
        model = settings.model_path.name if settings.model_path else settings.model
        lines.append(PlainSetting("Model", model or "the best one installed",
                                  "A small open model: its brief is a first draft to review, item by item."))
    else:
        url = settings.effective_base_url()
        lines = [PlainSetting("Where the model runs", f"an API at {_redacted_url(url)}" if url else "the OpenAI API",
                              "The case materials are sent to that service for every run.")]
        lines.append(PlainSetting("Model", settings.model or "gpt-4o-mini",
                                  "The model the service answers with."))
    if settings.replay:
        lines.append(PlainSetting("Recorded answers", settings.replay.name,
                                  "Runs replay answers recorded earlier: no model is asked (for demonstrations and tests)."))
    if settings.pseudonymize:
        lines.append(PlainSetting("Names hidden from the model", "yes",
                                  "Names, companies, e-mails and phone numbers are replaced before any model call."))
    return lines
