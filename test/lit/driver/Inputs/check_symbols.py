#!/usr/bin/env python3
"""Symbol checks for the driver tests.

    check_symbols.py linkage PREFIX < module.ll
        Every function and global defined in the LLVM IR is internal or private, except
        PREFIX_run, PREFIX_run_parallel and PREFIX_info, which must be defined with external linkage.
    check_symbols.py undefined < `nm -u model.o`
        Every undefined symbol is a libc/libm function the generated code may call.
    check_symbols.py defined PREFIX < `nm -g --defined-only model.o`
        The exported symbols are exactly PREFIX_run, PREFIX_run_parallel and PREFIX_info.
"""
import re
import sys

# What generated code may need from the C library and libm (memory intrinsics and the math
# functions LLVM has no inline expansion for).
LIBC_LIBM = {
    "memcpy", "memmove", "memset", "memcmp",
    "expf", "exp", "exp2f", "exp2", "expm1f", "logf", "log", "log2f", "log10f", "log1pf",
    "sqrtf", "sqrt", "powf", "pow", "tanhf", "tanh", "sinf", "sin", "cosf", "cos", "tanf", "tan",
    "asinf", "acosf", "atanf", "atan2f", "sinhf", "coshf", "asinhf", "acoshf", "atanhf",
    "erff", "erf", "erfcf", "fmodf", "fmod", "roundf", "round", "roundevenf", "floorf", "ceilf",
    "truncf", "rintf", "nearbyintf", "fabsf", "fmaf", "fma", "fmaxf", "fminf", "cbrtf",
    "__truncsfhf2", "__extendhfsf2", "__truncdfhf2", "__truncsfbf2", "__gnu_h2f_ieee", "__gnu_f2h_ieee",
}


def fail(msg):
    sys.stderr.write("check_symbols.py: " + msg + "\n")
    sys.exit(1)


def linkage(prefix):
    entry = {prefix + "_run", prefix + "_run_parallel", prefix + "_info"}
    seen = set()
    for line in sys.stdin:
        m = re.match(r'define\s+(.*?)@("[^"]+"|[\w.$-]+)\(', line)
        if m:
            words, name = m.group(1).split(), m.group(2).strip('"')
        else:
            m = re.match(r'@("[^"]+"|[\w.$-]+)\s*=\s*(.*)', line)
            if not m:
                continue
            name, rest = m.group(1).strip('"'), m.group(2)
            if rest.startswith("external ") or " external " in rest.split("global")[0]:
                continue  # a declaration
            words = rest.split()
        local = "internal" in words or "private" in words
        if name in entry:
            if local:
                fail("entry point %s is not exported" % name)
            seen.add(name)
        elif not local:
            fail("%s is defined with external linkage" % name)
    if seen != entry:
        fail("missing entry points: %s" % ", ".join(sorted(entry - seen)))


def undefined():
    names = [l.split()[-1] for l in sys.stdin if l.strip()]
    bad = [n for n in names if n not in LIBC_LIBM]
    if bad:
        fail("undefined symbols outside libc/libm: " + ", ".join(bad))


def defined(prefix):
    names = sorted(l.split()[-1] for l in sys.stdin if l.strip())
    want = sorted([prefix + "_info", prefix + "_run", prefix + "_run_parallel"])
    if names != want:
        fail("exported %s, expected %s" % (names, want))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "linkage":
        linkage(sys.argv[2])
    elif mode == "undefined":
        undefined()
    elif mode == "defined":
        defined(sys.argv[2])
    else:
        fail("unknown mode " + mode)
