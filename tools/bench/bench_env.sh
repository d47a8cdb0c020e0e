# Sourced by the comparison scripts: the environment every contender runs in, and the Spark class path.

# Idle OpenMP threads sleep instead of spinning against OpenBLAS's own threads for the cores.
export OMP_WAIT_POLICY=PASSIVE
# The project VM's environment pins OpenBLAS to its AVX2 (Haswell) kernels and a 512 kB L2; left to
# itself OpenBLAS picks its AVX-512 (Cooperlake) kernels on this CPU, as on a user's machine.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE

# spark_classpath WORK_DIR: sets spark_cp (Spark's jars from the Maven class path, without percept,
# libtorch and the CLI's own libraries, which the job jar carries) and jvm_opts (the module's JVM
# options for Spark on Java 17).
spark_classpath() {
  ./mvnw -B -ntp -o -q -f percept-spark/pom.xml dependency:build-classpath -Dmdep.includeScope=provided \
      -Dmdep.outputFile="$1/classpath.txt" >/dev/null
  spark_cp=$(tr ':' '\n' < "$1/classpath.txt" | grep -v "/dev/percept/\|/org/bytedeco/\|lucene\|picocli" | paste -sd:)
  jvm_opts=$(grep -o '<spark.jvm.options>[^<$]*' percept-spark/pom.xml | head -1 | sed 's/<spark.jvm.options>//')
}
