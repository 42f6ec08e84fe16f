"""The hint to rebuild llama.cpp when it leaves the CPU's vector instructions unused."""

from __future__ import annotations

from pipeline.llm.cpu_build import build_hint, cpu_flags

GENERIC = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 | LLAMAFILE = 1 |"
NATIVE = "CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 |"


def test_a_generic_build_on_an_avx512_cpu_is_told_how_to_rebuild():
    hint = build_hint(GENERIC, {"avx2", "avx512f", "avx512_vnni", "fma"})
    assert "without AVX512, AVX512_VNNI," in hint
    assert 'CMAKE_ARGS="-DGGML_NATIVE=ON"' in hint and "pip cache remove llama_cpp_python" in hint


def test_a_build_that_fits_the_cpu_says_nothing():
    assert build_hint(NATIVE, {"avx2", "avx512f", "avx512_vnni"}) == ""
    assert build_hint(GENERIC, {"avx2", "fma"}) == ""  # the CPU has no AVX-512 to use
    assert build_hint(GENERIC, set()) == ""  # flags unknown (no /proc/cpuinfo)


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f\n\nprocessor\t: 1\nflags\t\t: fpu sse2 avx2 avx512f\n")
    assert cpu_flags(info) == {"fpu", "sse2", "avx2", "avx512f"}
    assert cpu_flags(tmp_path / "missing") == set()
