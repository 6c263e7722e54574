#!/bin/bash
# Robustness sweep: run the whole product on real backends and flag what breaks.
#
#   bash benchmarks/sweep.sh [NAME ...]          # default: every target below that exists
#
# For each target: `report` in md,html,json,sarif cold, warm and warm again (wall time and peak RSS from
# /usr/bin/time -v), the JSON once more with --timings, `routes|models|tasks --format json`, `rules infer`
# when the target has no RULES.md/CLAUDE.md/AGENTS.md, and `check` against that file. Reports of the cold and
# both warm runs must be byte-identical (cache and PYTHONHASHSEED independence); a difference is printed.
# Problems to look for afterwards: rc != 0, `analysis-error`/`plugin-error` findings, DIFF lines, slow stages
# (stats.stages in timings.json, one `analyzer:<name>` entry per analyzer that ran).
#
# Targets are the ground-truth venvs (benchmarks/groundtruth/README.md) and checkouts under $BENCH
# (fetched by hand, never committed). Outputs go to $OUT/<name>/, caches to $OUT/cache/<name>/.
set -u
BACKENDSCAN=${BACKENDSCAN:-$(dirname "$0")/../.venv/bin/backendscan}
GT=${GT_ROOT:-/work/gt}
BENCH=${BENCH:-/work/bench}
OUT=${OUT:-/tmp/sweep}
mkdir -p "$OUT"
# Label Studio imports its modules from inside its package folder (core.urls): scan it with roots = ["."]
LS_CONFIG="$OUT/labelstudio_roots.toml"
printf '[tool.backendscan]\nroots = ["."]\n' > "$LS_CONFIG"

targets() {
  cat <<LIST
changedetection $GT/venv-changedetection/lib/python3.12/site-packages/changedetectionio
prefect $GT/venv-prefect/lib/python3.11/site-packages/prefect
airflow $GT/venv-airflow/lib/python3.12/site-packages/airflow
mlflow $GT/venv-mlflow/lib/python3.11/site-packages/mlflow
superset $GT/venv-superset/lib/python3.11/site-packages/superset
indico $GT/venv-indico/lib/python3.11/site-packages/indico
nautobot $GT/venv-nautobot/lib/python3.11/site-packages/nautobot
pretix $GT/venv-pretix/lib/python3.11/site-packages/pretix
labelstudio $GT/venv-labelstudio/lib/python3.11/site-packages/label_studio --config $LS_CONFIG
django $(dirname "$0")/../.venv/lib/python3.11/site-packages/django
saleor $BENCH/saleor
netbox $BENCH/netbox
ctfd $BENCH/ctfd
dispatch $BENCH/dispatch
polar $BENCH/polar/server
LIST
}

run_one() {
  local name=$1 path=$2; shift 2
  local o="$OUT/$name" c="$OUT/cache/$name" t="/usr/bin/time -v -o"
  rm -rf "$o" "$c"; mkdir -p "$o"
  for run in cold warm warm2; do
    $t "$o/time_$run.txt" "$BACKENDSCAN" report "$path" --format md,html,json,sarif -o "$o/$run/" --cache-dir "$c" -q "$@" \
      > "$o/$run.log" 2>&1 || echo "$name: report ($run) exit $?"
  done
  "$BACKENDSCAN" report "$path" --format json --timings -o "$o/timings.json" --cache-dir "$c" -q "$@" > "$o/timings.log" 2>&1
  for kind in routes models tasks; do
    "$BACKENDSCAN" "$kind" "$path" --format json --cache-dir "$c" -q "$@" > "$o/$kind.json" 2> "$o/$kind.err" \
      || echo "$name: $kind exit $?"
  done
  local rules=""
  for f in RULES.md CLAUDE.md AGENTS.md; do [ -f "$path/$f" ] && rules="$path/$f" && break; done
  if [ -z "$rules" ]; then
    rules="$o/inferred_RULES.md"
    "$BACKENDSCAN" rules infer "$path" --cache-dir "$c" -q "$@" > "$rules" 2> "$o/infer.err" || echo "$name: rules infer exit $?"
  fi
  $t "$o/time_check.txt" "$BACKENDSCAN" check "$path" --rules "$rules" --format json --cache-dir "$c" -q "$@" \
    > "$o/check.json" 2> "$o/check.err"
  echo "$name: check exit $? ($rules)"
  for f in md html json sarif; do
    cmp -s "$o/cold/report.$f" "$o/warm/report.$f" || echo "$name: DIFF cold/warm report.$f"
    cmp -s "$o/warm/report.$f" "$o/warm2/report.$f" || echo "$name: DIFF warm/warm2 report.$f"
  done
  python3 - "$o" "$name" <<'PY'
import json, re, sys
o, name = sys.argv[1], sys.argv[2]
def tv(p):
    t = open(p).read()
    return (re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1),
            int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024)
r = json.load(open(f"{o}/warm/report.json"))
bad = sorted({f["rule_id"] for f in r["findings"] if f["rule_id"] in ("analysis-error", "plugin-error")})
print(f"{name}: files={r['summary']['files']} routes={len(r['routes'])} models={len(r['models'])} "
      f"tasks={len(r['tasks'])} cold={tv(o + '/time_cold.txt')} warm={tv(o + '/time_warm.txt')} bugs={bad}")
PY
}

targets | while read -r name path extra; do
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  [ -d "$path" ] || { echo "$name: $path missing, skipped"; continue; }
  # shellcheck disable=SC2086
  run_one "$name" "$path" $extra
done
