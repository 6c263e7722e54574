#!/usr/bin/env bash
# Recreate the ground-truth virtualenvs in /work/gt (outside the repository).
#   bash benchmarks/groundtruth/setup_venvs.sh            # all projects
#   bash benchmarks/groundtruth/setup_venvs.sh pretix     # one project
# Each venv gets the exact versions in requirements/<project>.txt (pip freeze
# of the venvs the committed numbers were made with).  Needs PyPI access only.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GT="${GT_ROOT:-/work/gt}"
PYENV="${PYENV_VERSIONS:-$HOME/.pyenv/versions}"
PROJECTS=("$@")
[ ${#PROJECTS[@]} -eq 0 ] && PROJECTS=(prefect mlflow superset nautobot pretix airflow indico changedetection)

python_for() {   # the interpreter each venv was made with
  case "$1" in
    airflow|changedetection) echo "$PYENV/3.12.1/bin/python" ;;
    *) echo "$PYENV/3.11.7/bin/python" ;;   # indico 3.2.x needs < 3.12
  esac
}
mkdir -p "$GT/logs" "$GT/home"

for p in "${PROJECTS[@]}"; do
  venv="$GT/venv-$p"
  if [ ! -x "$venv/bin/python" ]; then
    "$(python_for "$p")" -m venv "$venv"
    "$venv/bin/pip" install -q -U pip
  fi
  echo "== $p: installing into $venv (log: $GT/logs/$p.log)"
  "$venv/bin/pip" install -r "$HERE/requirements/$p.txt" >"$GT/logs/$p.log" 2>&1
  mkdir -p "$GT/home/$p"
  case "$p" in
    superset) cp "$HERE/config/superset_config.py" "$GT/home/superset/" ;;
    pretix) mkdir -p "$GT/home/pretix/data"; cp "$HERE/config/pretix.cfg" "$GT/home/pretix/" ;;
    indico) cp "$HERE/config/indico.conf" "$GT/home/indico/" ;;
    nautobot)
      if [ ! -f "$GT/home/nautobot/nautobot_config.py" ]; then
        NAUTOBOT_ROOT="$GT/home/nautobot" "$venv/bin/nautobot-server" init --disable-installation-metrics
      fi ;;
  esac
done
