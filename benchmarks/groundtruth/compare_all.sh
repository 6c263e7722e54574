#!/usr/bin/env bash
# Scan every ground-truth project with backendscan and score it.
#   bash benchmarks/groundtruth/compare_all.sh [project ...]
# BACKENDSCAN (default: backendscan on PATH) is the command to run; the scan
# outputs go to $OUT (default /work/gt/scans/<project>/), the metrics to
# $OUT/<project>/{routes,models,tasks}.metrics.json and the full comparison
# text to $OUT/<project>/{routes,models,tasks}.txt.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$HERE")"
GT="${GT_ROOT:-/work/gt}"
TRUTH="${GT_TRUTH_ROOT:-$GT/truth}"
OUT="${OUT:-$GT/scans}"
BS="${BACKENDSCAN:-backendscan}"
PROJECTS=("$@")
[ ${#PROJECTS[@]} -eq 0 ] && PROJECTS=(prefect mlflow superset nautobot pretix airflow indico changedetection)

scan_root() {
  case "$1" in
    airflow) echo "$GT/venv-airflow/lib/python3.12/site-packages/airflow" ;;
    changedetection) echo "$GT/venv-changedetection/lib/python3.12/site-packages/changedetectionio" ;;
    *) echo "$GT/venv-$1/lib/python3.11/site-packages/$1" ;;
  esac
}

for p in "${PROJECTS[@]}"; do
  root="$(scan_root "$p")"
  mkdir -p "$OUT/$p"
  echo "== $p ($root)"
  for kind in routes models tasks; do
    [ -f "$TRUTH/$p/$kind.json" ] || continue
    if ! $BS "$kind" "$root" --format json -q -o "$OUT/$p/$kind.scan.json" 2>"$OUT/$p/$kind.scan.err"; then
      echo "   $kind: backendscan failed, see $OUT/$p/$kind.scan.err"; continue
    fi
    python3 "$BENCH/compare_$kind.py" "$TRUTH/$p/$kind.json" "$OUT/$p/$kind.scan.json" \
      --max-list 0 --json "$OUT/$p/$kind.metrics.json" > "$OUT/$p/$kind.txt"
    sed -n '4,12p' "$OUT/$p/$kind.txt" | grep -E 'P=|agrees|\(matched' | sed "s/^/   $kind: /"
  done
done
