#!/usr/bin/env bash
# Runs every test. `scripts/test.sh fast` skips the slow ones (real Python worker, real builds).
# Results: TRX files under TestResults/; the last line is "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
filter=()
[[ "${1:-}" == "fast" ]] && filter=(--filter "TestCategory!=Slow")
rm -rf TestResults
dotnet test KernelBench.Harness.sln -c Release --nologo "${filter[@]}" \
  --logger "trx" --results-directory "$root/TestResults" --logger "console;verbosity=normal"
status=$?
python3 "$root/scripts/trx-summary.py" "$root/TestResults" || status=1
exit $status
