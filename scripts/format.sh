#!/usr/bin/env bash
# clang-format (Debian 12's, 14) over every C++ file git tracks, with the committed .clang-format.
#   scripts/format.sh          rewrite the files in place
#   scripts/format.sh --check  change nothing; list the files that differ and fail (CI)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "format: clang-format is missing (scripts/bootstrap.sh installs it)" >&2; exit 1; }
mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.cc')
[[ ${#files[@]} -eq 0 ]] && exit 0
if [[ "${1:-}" == "--check" ]]; then
  if ! out=$(clang-format --dry-run -Werror "${files[@]}" 2>&1); then
    echo "format: these files are not formatted (run scripts/format.sh):" >&2
    grep -o '^[^:]*:[0-9]*:[0-9]*: error' <<<"$out" | cut -d: -f1 | sort -u | sed 's/^/  /' >&2
    exit 1
  fi
else
  clang-format -i "${files[@]}"
fi
