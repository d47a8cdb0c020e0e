#!/usr/bin/env bash
# EmbedJob in local[2] (2 tasks, 1 libtorch thread each) against `percept embed` in one process
# (2 threads) on the same generated images, alternating the two for ROUNDS rounds; wall time and
# CPU seconds and peak RSS of each process (GNU time; CPU seconds say more than wall time on a
# shared machine). Needs: ./mvnw install, then
# ./mvnw -f percept-spark/pom.xml package (the job jar) and a model folder.
# Usage: tools/bench/compare_spark_embed.sh MODEL_DIR [IMAGES=2000] [ROUNDS=2] [SIDE=160]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=$1; n=${2:-2000}; rounds=${3:-2}; side=${4:-160}
work=${BENCH_DIR:-/tmp/percept-spark-bench}
mkdir -p "$work"
[ -d "$work/images" ] || java tools/bench/GenerateImages.java "$work/images" "$n" "$side"
source tools/bench/bench_env.sh
spark_classpath "$work"
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/cli.npy" "$work/cli.json" "$work/spark.parquet"
  /usr/bin/time -f "cli round $round: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" \
      java -jar target/percept.jar embed --model "$model" --threads 2 --out "$work/cli.npy" "$work/images" 2>&1 | grep "round\|wrote"
  # shellcheck disable=SC2086
  /usr/bin/time -f "spark round $round: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" \
      java $jvm_opts -Dspark.master='local[2]' -Dspark.driver.host=127.0.0.1 -Dspark.ui.enabled=false \
      -cp "percept-spark/target/percept-spark.jar:$spark_cp" dev.percept.spark.EmbedJob \
      --model "$model" --input "$work/images" --output "$work/spark.parquet" 2>&1 | grep "round\|wrote"
done
