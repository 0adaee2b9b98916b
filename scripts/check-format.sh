#!/bin/sh
# Checks that the C and C++ sources are clang-format clean (.clang-format: LLVM style, 120 columns).
#   check-format.sh          list the files that need formatting, exit 1 if any (ctest -L format)
#   check-format.sh --fix    format them in place
# Needs clang-format 22 (scripts/install-deps.sh --test): other versions format differently. Without
# it the check is skipped (exit 77). CLANG_FORMAT overrides the binary.
set -eu
cd "$(dirname "$0")/.."
fmt=${CLANG_FORMAT:-}
if [ -z "$fmt" ]; then
  for c in clang-format-22 /usr/lib/llvm-22/bin/clang-format; do
    if command -v "$c" > /dev/null 2>&1; then fmt=$c; break; fi
  done
fi
if [ -z "$fmt" ]; then
  echo "check-format: clang-format-22 not found, skipped (scripts/install-deps.sh --test installs it)"
  exit 77
fi
# The sources: what git tracks (and untracked files it does not ignore), else every file below here.
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' '*.cpp' '*.cc' '*.hpp' | sort -u)
else
  files=$(find . -path ./build -prune -o \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print | sed 's|^\./||')
fi
# Deleted-but-tracked files drop out; .clang-format-ignore (if any) is honoured by clang-format itself.
existing=""
for f in $files; do [ -f "$f" ] && existing="$existing $f"; done
if [ "${1:-}" = "--fix" ]; then
  # shellcheck disable=SC2086
  "$fmt" -i $existing
  exit 0
fi
bad=""
for f in $existing; do
  "$fmt" --dry-run -Werror "$f" > /dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "check-format: these files need clang-format (run scripts/check-format.sh --fix):"
  for f in $bad; do echo "  $f"; done
  exit 1
fi
skipped=0
[ -f .clang-format-ignore ] && skipped=$(grep -cv '^#' .clang-format-ignore || true)
echo "check-format: $(echo $existing | wc -w) files checked, clean ($skipped listed in .clang-format-ignore)"
