"""The team server under a small bounded load (benchmarks/server_load.py --quick: 6 cases, 3 concurrent
clients, stub backend): every case comes back as a valid report, the server holds exactly one thread and one
successful run per case (none lost, none duplicated), and the figures against in-process are all there.
No wall-clock threshold is asserted (the machine is shared)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.e2e.team_support import NEEDS  # noqa: F401 (skips without the `server` extra)


def test_load_on_the_team_server_loses_and_duplicates_nothing():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEGOPREP_"))}
    done = subprocess.run([sys.executable, "benchmarks/server_load.py", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=420)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    n = result["cases"]
    for side in ("in_process", "server"):
        assert result[side]["cases"] == n and result[side]["errors"] == 0, result[side]
        assert 0 < result[side]["p50_s"] <= result[side]["p95_s"] <= result[side]["wall_s"]
    assert result["books"] == {"threads": n, "runs": n, "successful_runs": n, "distinct_cases": n,
                               "runs_per_thread": [1]}
    assert all(isinstance(v, float) and v > 0 for v in result["ratio"].values()), result["ratio"]
