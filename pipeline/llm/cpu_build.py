"""Whether the installed llama.cpp was compiled for the vector instructions this CPU has.

A build for a generic x86-64 CPU (`-DGGML_NATIVE=OFF`, or a wheel pip cached from another machine) runs
on an AVX-512 CPU but leaves those instructions unused: on this project's machine it read prompts 1.3x
slower than the native build.
"""

from __future__ import annotations

import re
from pathlib import Path

FEATURES = {"avx2": "AVX2", "avx512f": "AVX512", "avx512_vnni": "AVX512_VNNI"}  # /proc/cpuinfo flag -> llama.cpp's name
REBUILD = ('pip cache remove llama_cpp_python && CMAKE_ARGS="-DGGML_NATIVE=ON" '
           "pip install --force-reinstall --no-deps llama-cpp-python")


class SlowBuildWarning(RuntimeWarning):
    """llama.cpp leaves vector instructions of this CPU unused."""


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The CPU's feature flags (empty where /proc/cpuinfo is not there to read)."""
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags") for flag in line.split(":", 1)[1].split()}


def built_features(system_info: str) -> set[str]:
    """The features llama.cpp's system info reports as compiled in (`AVX512 = 1 | ...`)."""
    return {name for name, on in re.findall(r"([A-Z0-9_]+) = (\d)", system_info) if on == "1"}


def unused_features(flags: set[str], built: set[str]) -> list[str]:
    """llama.cpp's names of the features the CPU has and the build does not use."""
    return [name for flag, name in FEATURES.items() if flag in flags and name not in built]


def build_hint(system_info: str | None = None, flags: set[str] | None = None) -> str:
    """One line telling how to rebuild llama-cpp-python, or "" when the build fits the CPU (or cannot be read)."""
    if system_info is None:
        try:
            import llama_cpp
        except ImportError:
            return ""
        system_info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    missing = unused_features(cpu_flags() if flags is None else flags, built_features(system_info))
    if not missing:
        return ""
    return (f"llama.cpp was built without {', '.join(missing)}, which this CPU has, so the embedded model reads "
            f"prompts more slowly than it could; rebuild it for this CPU: {REBUILD}")
