#!/usr/bin/env bash
# Builds a self-contained single-file `kbh` for linux-x64 into .publish/ (git-ignored), for GPU nodes without .NET.
# With --kernelbench DIR, also copies that KernelBench checkout's problems and baseline timings into .kbh/kernelbench
# (git-ignored) so both can be carried to a machine that cannot see DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet publish harness/src/KernelBench.Harness.Cli/KernelBench.Harness.Cli.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:TrimMode=partial -p:EnableCompressionInSingleFile=true -p:DebugType=none -o .publish --nologo -v q -clp:ErrorsOnly -clp:NoSummary
rm -rf .publish/arm64 .publish/x86   # other architectures' native helpers: not needed on x86-64 nodes
ls -la .publish/kbh
if [[ "${1:-}" == "--kernelbench" ]]; then
  src="$2"
  [[ -d "$src/KernelBench" ]] || { echo "publish: $src has no KernelBench/ folder" >&2; exit 2; }
  rm -rf .kbh/kernelbench && mkdir -p .kbh/kernelbench
  cp -r "$src/KernelBench" .kbh/kernelbench/
  [[ -d "$src/results" ]] && cp -r "$src/results" .kbh/kernelbench/   # published baseline timings, where the checkout has them
  du -sh .kbh/kernelbench
fi
