# -*- Python -*-
# lit configuration for mcc's FileCheck tests.
#
# From CMake (ctest -L lit), lit.site.cfg.py sets the tool folders and loads this file. For
# development, run it straight from the source tree against a build:
#   lit-22 -sv -Dmcc_bin=build/bin test/lit       (from the checkout's root; any path to a build works)
# (optional: -Dllvm_bin=DIR, -Dpython=EXE, -Dexec_root=DIR for the Output/ folders). Nothing here names
# a checkout or build folder: paths come from lit.site.cfg.py, the -D parameters, or this file's place.

import os
import shutil
import subprocess
import sys
import tempfile

import lit.formats
import lit.util

config.name = "mcc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)

params = lit_config.params
source_dir = os.path.abspath(os.path.join(config.test_source_root, "..", ".."))

# Values from lit.site.cfg.py win; -D parameters fill in when running from the source tree.
tools_dir = getattr(config, "mcc_tools_dir", None) or params.get("mcc_bin")
if not tools_dir:
    lit_config.fatal("mcc tools folder unknown: run lit on <build>/test/lit, or pass -Dmcc_bin=<build>/bin")
tools_dir = os.path.abspath(tools_dir)


def default_llvm_bin():
    """LLVM 22's tool folder: from llvm-config-22, else where FileCheck is on PATH, else Debian's."""
    try:
        return subprocess.check_output(["llvm-config-22", "--bindir"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        filecheck = shutil.which("FileCheck")
        return os.path.dirname(filecheck) if filecheck else "/usr/lib/llvm-22/bin"


llvm_tools_dir = getattr(config, "llvm_tools_dir", None) or params.get("llvm_bin") or default_llvm_bin()
python = getattr(config, "python_executable", None) or params.get("python", sys.executable)
mcc_source_dir = getattr(config, "mcc_source_dir", None) or source_dir

if not hasattr(config, "mcc_binary_dir"):
    exec_root = params.get("exec_root") or os.path.join(tempfile.gettempdir(), "mcc-lit-%d" % os.getuid())
    config.test_exec_root = exec_root

for tool in ("mcc", "mcc-opt", "mcc-run"):
    if not os.path.isfile(os.path.join(tools_dir, tool)):
        lit_config.fatal("%s not found in %s" % (tool, tools_dir))

# FileCheck, not, count, split-file, llvm-* come from LLVM's folder; mcc's own tools from the build.
config.environment["PATH"] = os.pathsep.join([tools_dir, llvm_tools_dir, config.environment.get("PATH", "")])
# Keep diagnostics stable: no colours, no locale-dependent messages.
config.environment["LC_ALL"] = "C"
config.environment.pop("MCC_OPTIONS", None)

config.substitutions.append(("%mcc-opt", os.path.join(tools_dir, "mcc-opt")))
config.substitutions.append(("%mcc-run", os.path.join(tools_dir, "mcc-run")))
config.substitutions.append(("%mcc_include", os.path.join(mcc_source_dir, "runtime", "include")))
config.substitutions.append(("%mcc_rt_src", os.path.join(mcc_source_dir, "runtime", "src", "mcc_rt.c")))
config.substitutions.append(("%mcc", os.path.join(tools_dir, "mcc")))
config.substitutions.append(("%python", python))
config.substitutions.append(("%llvm_bin", llvm_tools_dir))

# Optional host tools that a few tests need.
if lit.util.which("cc"):
    config.available_features.add("cc")
if lit.util.which("c++"):
    config.available_features.add("cxx")
if lit.util.which("llvm-readobj", llvm_tools_dir):
    config.available_features.add("llvm-readobj")
if lit.util.which("llvm-nm", llvm_tools_dir) or lit.util.which("nm"):
    config.available_features.add("nm")
