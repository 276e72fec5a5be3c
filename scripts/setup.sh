#!/usr/bin/env bash
# Installs what a fresh Debian machine needs for the CPU path (the .NET 10 SDK is assumed), builds the harness,
# then runs the main job on the built-in default, which needs no GPU and no model endpoint.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
packages=(python3-torch libtorch-dev ninja-build pybind11-dev)
# Any of them not installed (dpkg-query names each; a package it has never seen is an error line): install them all.
# (Captured first: under pipefail dpkg-query's own failure for an unknown package would hide grep's answer.)
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>&1 || true)
if grep -qv " install ok installed$" <<<"$installed"; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 2; }
"$root/scripts/kbh" --version
# The main job on its default: the project's own sample problems, the hand-written demo transcript replayed through
# the whole loop (no endpoint), every answer judged for real on the CPU (no GPU).
"$root/scripts/kbh" problems list --kernelbench "$root/problems"
rm -rf "$root/results/runs/demo"
"$root/scripts/kbh" run --config "$root/problems/demo.yaml"
# Its report (CSV, Markdown, HTML with plots); `kbh report` prints where it is.
"$root/scripts/kbh" report "$root/results/runs/demo"
