"""One typed settings object, read from env, `.env` and CLI overrides."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

Backend = Literal["auto", "local", "openai"]


def bundled(package: str) -> Path:
    """The folder of a data package shipped with negoprep (`prompts`, `knowledge_base`): the checkout's
    folder when run from one, the installed copy otherwise."""
    return Path(str(files(package)))


class Settings(BaseSettings):
    """Everything a run can be configured with. Env vars are `NEGOPREP_<FIELD>`."""

    model_config = SettingsConfigDict(
        env_prefix="NEGOPREP_", env_file=".env", extra="ignore", validate_default=True
    )

    backend: Backend = Field("auto", description="local (embedded GGUF), openai (any OpenAI-compatible API), or auto.")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.")
    api_key: SecretStr | None = Field(None, description="API key; falls back to OPENAI_API_KEY.")
    model: str | None = Field(None, description="Model name sent to the API (default gpt-4o-mini); for the local backend a preset: tiny, small, base, ... (`negoprep models list`; default: the best one installed).")
    model_path: Path | None = Field(None, description="A GGUF file for the local backend (instead of a preset).")
    n_ctx: int = Field(8192, ge=1024, description="Context window for the local backend.")
    n_threads: int | None = Field(None, description="CPU threads for the local backend (default: all cores).")
    prefix_cache_mb: int = Field(2048, ge=0, description="RAM the local backend may keep model states in, so calls that start with the same materials skip re-reading them (0 = off).")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature (0 = deterministic).")
    seed: int = Field(7, description="Sampling seed sent with every call.")
    repeat_penalty: float = Field(1.2, description="Repeat penalty for the local backend.")
    model_prose: bool | None = Field(None, description="Let the model write the briefing's executive summary, plan, moves and questions in one answer (large models); otherwise they are composed from the checked facts of the first page. Default: on for API backends, off for the local one.")
    show_unconfirmed: bool | None = Field(None, description="List the model's statements the claim checker could not confirm (weak, unverified) under \"check before use\" and show its inferences; otherwise the brief counts them in one line and leaves them out (report.json keeps them). Statements the materials contradict are always listed. Default: on for API backends, off for the local one.")
    max_output_tokens: int = Field(3000, ge=64, description="Upper bound on tokens per model answer.")
    repair_attempts: int = Field(2, ge=0, le=5, description="Retries of a node whose answer fails schema validation.")
    max_retries: int = Field(4, ge=0, description="Retries on timeouts, connection errors, 429 and 5xx.")
    retry_backoff_s: float = Field(0.5, ge=0, description="First retry delay; doubles per retry (with jitter, at most 8 s).")
    timeout_s: float = Field(600.0, gt=0, description="Per-call timeout in seconds.")
    chunk_concurrency: int = Field(4, ge=1, le=32, description="Chunks of a long case extracted at once (API backends; the local model runs one at a time).")
    requests_per_minute: int | None = Field(None, ge=1, description="Provider rate limit to respect (requests per minute).")
    tokens_per_minute: int | None = Field(None, ge=1, description="Provider rate limit to respect (tokens per minute).")
    max_run_tokens: int | None = Field(None, ge=1, description="Token budget per case: stop before a call would exceed it.")
    max_run_cost: float | None = Field(None, gt=0, description="Cost budget per case, in the currency of the prices below: stop before a call could exceed it.")
    price_prompt_per_mtok: float = Field(0.0, ge=0, description="Price of one million prompt tokens (for the cost budget and the cost shown).")
    price_completion_per_mtok: float = Field(0.0, ge=0, description="Price of one million completion tokens.")
    prompts_dir: Path = Field(default_factory=lambda: bundled("prompts"), description="Folder with the agents' prompt files.")
    kb_dir: Path = Field(default_factory=lambda: bundled("knowledge_base"), description="Folder with the knowledge-base entries.")
    kb_budget_tokens: int = Field(1500, ge=0, description="Token budget for knowledge-base entries in the challenger prompt.")
    kb_top_k: int = Field(6, ge=1, le=20, description="How many knowledge-base entries to retrieve.")
    language: str | None = Field(None, description="Language of the brief (e.g. en, no, de); default: case.yaml's, else the materials' language.")
    pseudonymize: bool = Field(False, description="Replace names, companies, e-mails and phone numbers before any model call; restored in the report.")
    keep_flagged: bool = Field(False, description="Pass text flagged as instructions to the model (robustness tests); by default it is withheld from every model call and a marker stands in its place.")
    max_file_mb: float = Field(20.0, gt=0, description="Largest input file accepted, in MiB.")
    record: Path | None = Field(None, description="Write every model call to this cassette file.")
    replay: Path | None = Field(None, description="Serve model calls from this cassette; never call a model.")
    cache_dir: Path | None = Field(None, description="On-disk call cache (default: ~/.cache/negoprep).")
    use_cache: bool = Field(True, description="Reuse earlier answers to identical calls.")
    check_entailment: bool = Field(False, description="The claim checker asks the model whether a passage states what the rules neither confirm nor rule out (one short call per such statement; see benchmarks/results/claims-2026-12-07.txt for its time and rates).")
    server_token: SecretStr | None = Field(None, description="Your token for the team server (`--server URL`).")
    server_engagement: str | None = Field(None, description="The engagement your runs on the team server belong to (default: the first one you are a member of).")
    server_members: Path | None = Field(None, description="On the team server: the members file (users, token hashes, engagements; deploy/members.example.yaml).")
    _run_resources: Any = PrivateAttr(None)
    """When these settings are a graph's `context`: the run's client, knowledge base and source index
    (`pipeline.resources`; not configuration, never dumped)."""

    @property
    def run_resources(self) -> Any:
        return self._run_resources

    @run_resources.setter
    def run_resources(self, resources: Any) -> None:
        self._run_resources = resources

    @model_validator(mode="after")
    def _cost_budget_needs_prices(self) -> Settings:
        if self.max_run_cost and not (self.price_prompt_per_mtok or self.price_completion_per_mtok):
            raise ValueError("a cost budget (--max-cost) needs prices: set NEGOPREP_PRICE_PROMPT_PER_MTOK and "
                             "NEGOPREP_PRICE_COMPLETION_PER_MTOK")
        return self

    def resolved_backend(self) -> Literal["local", "openai"]:
        """`auto` means local unless an API key or base URL is configured."""
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.base_url or self.effective_api_key()) else "local"

    def writes_prose(self, backend: str) -> bool:
        """Whether the model writes the briefing's texts (`model_prose`; by default unless the backend is local)."""
        return self.model_prose if self.model_prose is not None else backend != "local"

    def shows_unconfirmed(self, backend: str) -> bool:
        """Whether the brief lists the statements the checker could not confirm (`show_unconfirmed`)."""
        return self.show_unconfirmed if self.show_unconfirmed is not None else backend != "local"

    def effective_api_key(self) -> str | None:
        """The configured key, else OPENAI_API_KEY from env/.env."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return _openai_env().get("OPENAI_API_KEY")

    def effective_base_url(self) -> str | None:
        """The configured base URL, else OPENAI_BASE_URL from env/.env."""
        return self.base_url or _openai_env().get("OPENAI_BASE_URL")


def _openai_env() -> dict[str, str]:
    import os

    from dotenv import dotenv_values

    values = {k: v for k, v in dotenv_values(".env").items() if v}
    values.update({k: v for k, v in os.environ.items() if k.startswith("OPENAI_") and v})
    return values


def load_settings(**overrides) -> Settings:
    """Settings from env/.env with non-None overrides (typically CLI flags) on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
