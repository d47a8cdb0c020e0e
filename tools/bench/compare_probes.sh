#!/usr/bin/env bash
# percept bench probes against scikit-learn on the same features, interleaved over rounds.
# Usage: tools/bench/compare_probes.sh [threads] [rounds] [workdir]
# The baseline runs on Debian's python (/usr/bin/python3, apt-get install python3-sklearn); set PYTHON to override.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-2}"
rounds="${2:-2}"
work="${3:-$(mktemp -d)}"
export OMP_WAIT_POLICY=PASSIVE
./percept bench probes --threads "$threads" --write "$work" | tail -1 | sed 's/^/percept round 1: /'
"${PYTHON:-/usr/bin/python3}" tools/bench/sklearn_probes.py "$work" "$threads" | sed 's/^/sklearn round 1: /'
for r in $(seq 2 "$rounds"); do
  ./percept bench probes --threads "$threads" | tail -1 | sed "s/^/percept round $r: /"
  "${PYTHON:-/usr/bin/python3}" tools/bench/sklearn_probes.py "$work" "$threads" | sed "s/^/sklearn round $r: /"
done
