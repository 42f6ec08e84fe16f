"""The rehearsal's agents: the simulated counterpart, the coach and the after-action review."""
