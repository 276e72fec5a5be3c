#!/usr/bin/env bash
# Turns what a GPU call brought back (the .tgz files of scripts/gpu-proof.sh or gpu-scoring.sh) into a results folder
# that can be committed: `kbh report` on every run folder inside, their summary/problems/budget CSVs and report.md, the
# per-candidate tables, the agent loop's checks, the environment, and one leaderboard over every run.
# Raw run folders are not copied: their prompts and reference candidates hold KernelBench's problem sources.
#
#   scripts/gpu-results.sh --out results/2026-12-02-h200 gpu-proof.tgz [more.tgz ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "${1:-}" = "--out" ] && [ $# -ge 3 ] || { echo "usage: $0 --out DIR FILE.tgz..." >&2; exit 2; }
out=$2; shift 2
kbh=${KBH:-$root/scripts/kbh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/scoring" "$out/reports"
n=0
for tgz in "$@"; do
  n=$((n + 1))
  mkdir -p "$work/$n"
  tar xzf "$tgz" -C "$work/$n"
done
# Per-candidate tables written on the GPU node (gpu-scoring.sh), and the environment it recorded.
# Candidate paths are made relative: to the repository (problems/...), or to the part's temporary folder (refs/...).
for csv in $(find "$work" -maxdepth 3 -name '*.csv' -not -path '*/runs/*'); do
  sed -E 's#(^|,)[^,]*/(problems/|refs/)#\1\2#' "$csv" >"$out/scoring/$(basename "$csv")"
done
env_file=$(find "$work" -maxdepth 3 -name environment.txt -not -path '*/agent-gpu/*' | head -1)
[ -n "$env_file" ] && cp "$env_file" "$out/environment.txt"
agent_log=$(find "$work" -maxdepth 3 -name agent.log | head -1)
[ -n "$agent_log" ] && grep -E "^(PASS|FAIL|ALL PASS|[0-9]+ FAILED)|^L[0-9]+/[0-9]+ +[0-9]" "$agent_log" >"$out/agent-checks.txt" || true
runs=()
while IFS= read -r manifest; do
  run=$(dirname "$manifest")
  name=$(basename "$run")
  [[ "$run" == */agent-gpu/* ]] && name=agent-$name
  "$kbh" report "$run" >/dev/null
  mkdir -p "$out/reports/$name"
  cp -r "$run"/report/{summary,problems,budget}.csv "$run/report/report.md" "$run/report/plots" "$out/reports/$name/"
  runs+=("$run")
done < <(find "$work" -name run.json -not -path '*/report/*' | sort)
"$kbh" leaderboard "${runs[@]}" --out "$out/leaderboard.csv" >/dev/null
echo "$out: ${#runs[@]} run(s) reported, leaderboard.csv, scoring/ ($(ls "$out/scoring" | wc -l) tables)"
