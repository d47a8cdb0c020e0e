#!/usr/bin/env bash
# Embedding and alignment speed of this checkout against an earlier revision, in one run on the
# same machine, interleaved over rounds so that a noisy neighbour hurts both alike. Use it to see
# that a refactor did not slow the hot paths.
# Usage: tools/bench/compare_revisions.sh REV [rounds] [seconds per measurement] [precision]
set -euo pipefail
cd "$(dirname "$0")/../.."
rev="${1:?usage: compare_revisions.sh REV [rounds] [seconds] [precision]}"
rounds="${2:-2}"
seconds="${3:-15}"
precision="${4:-bf16}"
export OMP_WAIT_POLICY=PASSIVE
before="$(mktemp -d)/before"
git worktree add -q --detach "$before" "$rev"
trap 'git worktree remove --force "$before"' EXIT
(cd "$before" && ./mvnw -B -ntp -q -DskipTests package)
./percept --version >/dev/null # build this checkout first, outside the measurements
for round in $(seq "$rounds"); do
  for what in embed align; do
    time_option="--seconds $seconds"
    [ "$what" = align ] && time_option="--seconds $((2 * seconds))"
    for side in "$before" .; do
      label=$([ "$side" = . ] && echo "this checkout" || echo "$rev")
      echo "== round $round: $what $precision, $label"
      (cd "$side" && ./percept bench "$what" --model random-vit-b16 --threads 2 --precision "$precision" $time_option \
        2>/dev/null | grep '^{')
    done
  done
done
