"""Token counting (pipeline/tokens.py): offline encodings, the approximate flag, remembered counts."""

from __future__ import annotations

from pipeline.tokens import OFFLINE_ENCODING, _remembering, counter_for, longest_fitting


def test_offline_count_is_exact_only_for_cl100k_models():
    exact = counter_for("openai", "gpt-4-turbo", None)
    other = counter_for("openai", "llama3.1:8b", None)
    missing_model = counter_for("local", "smollm2", None)

    assert exact.encoding == other.encoding == missing_model.encoding == OFFLINE_ENCODING
    assert exact.approximate is False
    assert other.approximate is True and missing_model.approximate is True
    assert exact.count("The supplier asked for EUR 7.3m.") == 11
    assert exact.count("") == 0


def test_counts_are_remembered_per_text():
    encoded: list[str] = []

    def encode(text: str) -> list[int]:
        encoded.append(text)
        return list(range(len(text.split())))

    count = _remembering(encode)

    assert [count("one two three"), count("one two three"), count("four five")] == [3, 3, 2]
    assert encoded == ["one two three", "four five"]


def test_longest_fitting_is_the_largest_count_that_fits_found_with_few_checks():
    for n in (0, 1, 2, 7, 64, 1000):
        for limit in (0, 1, 3, 50, 63, 64, 999, 5000):
            checked: list[int] = []

            def fits(k: int) -> bool:
                checked.append(k)
                return k <= limit

            found = longest_fitting(n, fits)

            assert found == max(k for k in range(n + 1) if k <= limit)
            assert len(checked) <= 2 * max(1, n).bit_length() + 2
            assert max(checked, default=0) <= max(1, 2 * found)  # never a text much longer than what fits
