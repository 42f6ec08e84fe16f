"""The preparation: case materials in, a verified `PrepReport` out (the `negoprep` graph and how it runs)."""
