#!/usr/bin/env bash
# Installs what a fresh Debian machine needs for the CPU path (the .NET 10 SDK is assumed), builds the harness,
# then runs the main job on the built-in default, which needs no GPU and no model endpoint.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! command -v ninja >/dev/null; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-torch libtorch-dev ninja-build pybind11-dev >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 2; }
"$root/scripts/kbh" --version
# The main job on its default: the project's own sample problems, the hand-written demo transcript replayed through
# the whole loop (no endpoint), every answer judged for real on the CPU (no GPU).
"$root/scripts/kbh" problems list --kernelbench "$root/problems"
rm -rf "$root/results/runs/demo"
"$root/scripts/kbh" run --config "$root/problems/demo.yaml"
