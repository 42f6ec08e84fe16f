"""Test and benchmark tooling, not used by a run: the loopback OpenAI-compatible stub server and its
synthetic answers (labelled as such in every text they write)."""
