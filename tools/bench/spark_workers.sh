#!/usr/bin/env bash
# How EmbedJob's cost grows with workers: a standalone master and 1 worker, then a master and 2
# workers (each worker 1 core, its executor 1 core and 1 libtorch thread), on loopback, alternating
# for ROUNDS rounds on the same generated images. Each run starts a fresh cluster from Spark's jars
# (as StandaloneClusterIT does: the Maven class path, without percept or libtorch) and prints one
# line: the driver's wall time, CPU seconds and peak RSS (GNU time), and per executor its CPU
# seconds (the worker's reaped-children time, exact) and peak RSS (VmHWM, sampled every 0.2 s).
# An untimed warm-up run first unpacks libtorch into the executors' JavaCPP cache.
# Needs: ./mvnw install, then ./mvnw -f percept-spark/pom.xml package (the job jar), and a model
# folder. Extra EmbedJob options in JOB_ARGS (e.g. JOB_ARGS="--precision fp32").
# Usage: tools/bench/spark_workers.sh MODEL_DIR [IMAGES=2000] [ROUNDS=2] [SIDE=160]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
[ $# -ge 1 ] || { echo "usage: $0 MODEL_DIR [IMAGES=2000] [ROUNDS=2] [SIDE=160]" >&2; exit 2; }
model=$(cd "$1" && pwd); n=${2:-2000}; rounds=${3:-2}; side=${4:-160}
jar=$root/percept-spark/target/percept-spark.jar
[ -f "$jar" ] || { echo "$jar is missing: ./mvnw -f percept-spark/pom.xml package -DskipTests" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/percept-spark-workers}
mkdir -p "$work"
images=$work/images-$n-$side
[ -d "$images" ] || java tools/bench/GenerateImages.java "$images" "$n" "$side"
[ -d "$work/warmup" ] || java tools/bench/GenerateImages.java "$work/warmup" 8 "$side"

source tools/bench/bench_env.sh
spark_classpath "$work"
# A Spark distribution's layout (RELEASE and jars/) linking Spark's jars: what the workers start from.
home=$work/spark-home
rm -rf "$home"; mkdir -p "$home/jars"
echo "Spark 4.2.0 (jars from the Maven class path)" > "$home/RELEASE"
tr ':' '\n' <<< "$spark_cp" | while read -r j; do ln -sf "$j" "$home/jars/"; done
export SPARK_HOME=$home SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
tick=$(getconf CLK_TCK)

cluster_pids=()
stop_cluster() {
  for p in "${cluster_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${cluster_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  cluster_pids=()
}
sampler=
trap '[ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true; stop_cluster' EXIT

# Starts a master and $1 workers under $2; sets master_url and worker_pids.
start_cluster() {
  local k=$1 dir=$2
  rm -rf "$dir"; mkdir -p "$dir"
  # shellcheck disable=SC2086
  java -Xmx512m -cp "$home/jars/*" $jvm_opts org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 0 --webui-port 0 > "$dir/master.log" 2>&1 &
  cluster_pids+=($!)
  master_url=
  for _ in $(seq 1 600); do
    master_url=$(grep -o 'Starting Spark master at spark://[0-9.:]*' "$dir/master.log" | sed 's/.* at //' || true)
    [ -n "$master_url" ] && break
    sleep 0.2
  done
  [ -n "$master_url" ] || { echo "the master did not start; see $dir/master.log" >&2; exit 1; }
  worker_pids=()
  for w in $(seq 1 "$k"); do
    mkdir -p "$dir/worker$w"
    # shellcheck disable=SC2086
    java -Xmx512m -cp "$home/jars/*" $jvm_opts org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores 1 --memory 2g --webui-port 0 --work-dir "$dir/worker$w" "$master_url" \
        > "$dir/worker$w.log" 2>&1 &
    cluster_pids+=($!); worker_pids+=($!)
  done
  for _ in $(seq 1 600); do
    [ "$(grep -c 'Registering worker' "$dir/master.log" || true)" -ge "$k" ] && return
    sleep 0.2
  done
  echo "workers did not register within 120 s; see $dir" >&2; exit 1
}

# Peak RSS (VmHWM, KB) of each worker's children, one "worker pid kb" line per sample.
sample_executors() {
  while :; do
    for w in "${worker_pids[@]}"; do
      for p in $(pgrep -P "$w" || true); do
        hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
        [ -n "$hwm" ] && echo "$w $p $hwm"
      done
    done
    sleep 0.2
  done
}

# One EmbedJob on a fresh cluster of $1 workers over $2; prints its line, labelled $3.
run() {
  local k=$1 input=$2 label=$3 dir=$work/run
  start_cluster "$k" "$dir"
  sample_executors > "$dir/rss.txt" &
  sampler=$!
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S %M" -o "$dir/driver.time" \
      java $jvm_opts -Xmx2g -cp "$jar:$spark_cp" \
      -Dspark.master="$master_url" -Dspark.app.name="percept embed, $k workers" \
      -Dspark.driver.host=127.0.0.1 -Dspark.ui.enabled=false -Dspark.jars="$jar" \
      -Dspark.executor.cores=1 -Dspark.executor.memory=1g -Dspark.cores.max="$k" \
      -Dspark.scheduler.minRegisteredResourcesRatio=1.0 -Dspark.scheduler.maxRegisteredResourcesWaitingTime=120s \
      -Dspark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
      -Dspark.executor.extraJavaOptions="-Dorg.bytedeco.javacpp.cachedir=$work/javacpp-cache" \
      dev.percept.spark.EmbedJob --model "$model" --threads 1 ${JOB_ARGS:-} \
      --input "$input" --output "$dir/out.parquet" > "$dir/driver.log" 2>&1 \
      || { echo "EmbedJob failed; see $dir/driver.log" >&2; exit 1; }
  # The executors exit once the application ends; their worker reaps them, which adds their CPU
  # time to its cutime and cstime (fields 16 and 17 of /proc/PID/stat).
  for w in "${worker_pids[@]}"; do
    for _ in $(seq 1 300); do
      [ -z "$(pgrep -P "$w" || true)" ] && break
      sleep 0.2
    done
  done
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=
  [ -n "$label" ] || { stop_cluster; return; }
  read -r wall user sys rss < "$dir/driver.time"
  local line executors=0 total
  total=$(awk -v a="$user" -v b="$sys" 'BEGIN {printf "%.1f", a + b}')
  line=$(printf "%s, %d worker(s), %s images: %.1f s wall; driver %s s CPU, %d MB peak RSS" \
      "$label" "$k" "$n" "$wall" "$total" $((rss / 1024)))
  for w in "${worker_pids[@]}"; do
    cpu=$(awk -v t="$tick" '{printf "%.1f", ($16 + $17) / t}' "/proc/$w/stat")
    peak=$(awk -v w="$w" '$1 == w && $3 > m {m = $3} END {printf "%d", m / 1024}' "$dir/rss.txt")
    executors=$((executors + 1))
    line="$line; executor $executors: $cpu s CPU, $peak MB peak RSS"
    total=$(awk -v a="$total" -v b="$cpu" 'BEGIN {printf "%.1f", a + b}')
  done
  echo "$line; driver + executors: $total s CPU"
  grep -q "wrote $n rows" "$dir/driver.log" || echo "  (the job did not report $n rows; see $dir/driver.log)" >&2
  stop_cluster
}

run 1 "$work/warmup" ""
for round in $(seq 1 "$rounds"); do
  run 1 "$images" "round $round"
  run 2 "$images" "round $round"
done
