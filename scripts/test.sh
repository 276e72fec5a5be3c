#!/usr/bin/env bash
# Runs every test: the C# suite (dotnet test) and the Python suites (pytest: harness/worker/tests, scripts/bench/tests).
#   scripts/test.sh          everything
#   scripts/test.sh fast     skips the slow C# tests (real Python worker, real builds, Slurm)
#   scripts/test.sh pytest   the Python suite alone
# Starts the local one-node Slurm for the Slurm tests when Slurm is installed and not running (as root; elsewhere they
# are skipped with the reason). Tests that need a KernelBench checkout find it as docs/testing.md says, or are skipped.
# Results: TRX and JUnit XML files under TestResults/; the closing lines are the skipped tests with their reasons, then
# the plain line "N passed, N failed" (CI parses it).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-}"
rm -rf TestResults
mkdir -p TestResults
status=0

start_slurm() {
  command -v slurmctld >/dev/null || return 0   # not installed: the Slurm tests say so when they skip
  scontrol ping 2>/dev/null | grep -q UP && return 0
  if [[ $(id -u) -eq 0 ]]; then
    scripts/slurm/local-cluster.sh start || echo "test.sh: could not start the local Slurm; the Slurm tests will be skipped" >&2
  elif sudo -n true 2>/dev/null; then
    sudo -n scripts/slurm/local-cluster.sh start || echo "test.sh: could not start the local Slurm; the Slurm tests will be skipped" >&2
  else
    echo "test.sh: Slurm is not running and starting it needs root; the Slurm tests will be skipped" >&2
  fi
}

run_pytest() {
  # Debian's python3-pytest and python3-torch live in /usr/bin/python3, whatever python3 comes first on the PATH.
  local python=/usr/bin/python3
  if ! "$python" -c "import pytest" 2>/dev/null; then
    echo "test.sh: $python has no pytest (scripts/setup.sh installs python3-pytest)" >&2
    printf '<testsuite><testcase classname="pytest" name="installed"><failure message="%s has no pytest: run scripts/setup.sh"/></testcase></testsuite>\n' \
      "$python" > TestResults/pytest.junit.xml
    return 1
  fi
  PYTHONDONTWRITEBYTECODE=1 "$python" -m pytest harness/worker/tests scripts/bench/tests -q -rsx -p no:cacheprovider -o junit_family=xunit2 \
    --junitxml="$root/TestResults/pytest.junit.xml"
}

if [[ "$mode" != "pytest" ]]; then
  filter=()
  [[ "$mode" == "fast" ]] && filter=(--filter "TestCategory!=Slow")
  [[ "$mode" == "fast" ]] || start_slurm
  dotnet test KernelBench.Harness.sln -c Release --nologo "${filter[@]}" \
    --logger "trx" --results-directory "$root/TestResults" --logger "console;verbosity=normal" || status=1
fi
run_pytest || status=1
python3 "$root/scripts/trx-summary.py" "$root/TestResults" || status=1
exit $status
