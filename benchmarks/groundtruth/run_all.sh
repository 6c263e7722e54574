#!/usr/bin/env bash
# Write the ground truth for every project (or the ones named) to
# $GT_TRUTH_ROOT (default /work/gt/truth/<project>/{routes,models,tasks,meta}.json).
#   bash benchmarks/groundtruth/run_all.sh [project ...]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GT="${GT_ROOT:-/work/gt}"
PROJECTS=("$@")
[ ${#PROJECTS[@]} -eq 0 ] && PROJECTS=(prefect mlflow superset nautobot pretix airflow indico changedetection)
status=0
work="$(mktemp -d)"   # drivers run from an empty directory (no stray config pick-up)
for p in "${PROJECTS[@]}"; do
  echo "== $p"
  if ! (cd "$work" && "$GT/venv-$p/bin/python" "$HERE/projects/${p}_gt.py" 2>"$GT/logs/$p.dump.log"); then
    echo "   FAILED, see $GT/logs/$p.dump.log"; status=1
  fi
  grep '^\[groundtruth\]' "$GT/logs/$p.dump.log" | sed 's/^/   /'
done
rm -rf "$work"
exit $status
