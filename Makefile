# Regenerate the recorded-response cassettes from a real run of the embedded model (the default preset;
# NEGOPREP_MODEL=tiny for SmolLM2).
CASES ?= tiny tiny+pseudonymize injection injection+keep-flagged telco-paysys delivery-dispute norsk-leveranse licence-renewal mixed-formats
PY ?= .venv/bin/python

.PHONY: record test
record:
	$(PY) -m tests.record $(CASES)

test:
	$(PY) -m pytest -q
