#!/usr/bin/env bash
# Installs what a fresh Debian machine needs for the CPU path and for every test (the .NET 10 SDK is assumed), builds
# the harness, then runs the main job on the built-in default, which needs no GPU and no model endpoint.
#   scripts/setup.sh [--kernelbench DIR|URL]
# --kernelbench DIR links .kbh/kernelbench to a KernelBench checkout; --kernelbench URL clones it there, checked out at
# the pinned commit (network permitting). The tests that need a checkout find it there (docs/testing.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernelbench_commit=423217d9fda91e0c2d67e4a43bf62f96f6d104f1   # ScalingIntelligence/KernelBench, the published timings' data
kernelbench=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kernelbench) [[ $# -ge 2 ]] || { echo "setup: --kernelbench needs a folder or a git URL" >&2; exit 2; }; kernelbench="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown argument '$1' (usage: scripts/setup.sh [--kernelbench DIR|URL])" >&2; exit 2 ;;
  esac
done
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
# The CPU path (PyTorch, its headers, a compiler's helpers), then what the tests use: the sandbox (bubblewrap), the
# HTML report check (chromium), the one-node Slurm scripts/test.sh starts, the worker's pytest suite, git for
# --kernelbench URL. .ci/run installs the same list.
packages=(python3-torch libtorch-dev ninja-build pybind11-dev bubblewrap chromium slurmctld slurmd munge slurm-client
          python3-pytest git)
# Any of them not installed (dpkg-query names each; a package it has never seen is an error line): install them all.
# (Captured first: under pipefail dpkg-query's own failure for an unknown package would hide grep's answer.)
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>&1 || true)
if grep -qv " install ok installed$" <<<"$installed"; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 2; }
# A KernelBench checkout for the tests that need one (and for `kbh --kernelbench .kbh/kernelbench`).
if [[ -n "$kernelbench" ]]; then
  dest="$root/.kbh/kernelbench"
  mkdir -p "$root/.kbh"
  if [[ -d "$kernelbench" ]]; then
    src="$(cd "$kernelbench" && pwd)"
    [[ -d "$src/KernelBench" ]] || { echo "setup: $src is not a KernelBench checkout (no KernelBench/ folder in it)" >&2; exit 2; }
    rm -rf -- "$dest"
    ln -s "$src" "$dest"
  else
    rm -rf -- "$dest"
    git clone --quiet "$kernelbench" "$dest" && git -C "$dest" checkout --quiet "$kernelbench_commit" \
      || { rm -rf -- "$dest"; echo "setup: could not clone $kernelbench at $kernelbench_commit (no network?); the tests that need KernelBench will be skipped" >&2; exit 1; }
  fi
  echo "setup: KernelBench at .kbh/kernelbench -> $(readlink -f "$dest")"
fi
"$root/scripts/kbh" --version
# The main job on its default: the project's own sample problems, the hand-written demo transcript replayed through
# the whole loop (no endpoint), every answer judged for real on the CPU (no GPU).
"$root/scripts/kbh" problems list --kernelbench "$root/problems"
rm -rf "$root/results/runs/demo"
"$root/scripts/kbh" run --config "$root/problems/demo.yaml"
# Its report (CSV, Markdown, HTML with plots); `kbh report` prints where it is.
"$root/scripts/kbh" report "$root/results/runs/demo"
