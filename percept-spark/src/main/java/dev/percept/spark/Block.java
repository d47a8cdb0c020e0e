package dev.percept.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * A run of consecutive rows of a sorted table, the unit of the blocked joins: rows
 * {@code first .. first + count - 1}, their vectors row-major, and one label per row.
 */
record Block<L extends Serializable>(int id, int first, int dim, float[] vectors, List<L> labels) implements Serializable {
    int count() {
        return labels.size();
    }

    /** Each row's vector on its own. */
    float[][] rows() {
        float[][] out = new float[count()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
        }
        return out;
    }

    /** One labelled row of a table, before blocking. */
    record Labelled<L extends Serializable>(String path, float[] vector, L label) implements Serializable {}

    /**
     * {@code rows} in path order, cut into blocks of {@code size} consecutive rows; row numbers
     * are ranks in that order, as the single-process commands number their inputs.
     */
    static <L extends Serializable> JavaRDD<Block<L>> of(JavaRDD<Labelled<L>> rows, int size) {
        int partitions = Math.max(1, rows.getNumPartitions());
        return rows.sortBy(Labelled::path, true, partitions)
                .zipWithIndex()
                .mapToPair(t -> new Tuple2<>((int) (t._2() / size), new Tuple2<>(t._2(), t._1())))
                .groupByKey()
                .map(group -> {
                    List<Tuple2<Long, Labelled<L>>> members = new ArrayList<>();
                    group._2().forEach(members::add);
                    members.sort((a, b) -> Long.compare(a._1(), b._1()));
                    int dim = members.get(0)._2().vector().length;
                    float[] vectors = new float[members.size() * dim];
                    List<L> labels = new ArrayList<>();
                    for (int i = 0; i < members.size(); i++) {
                        float[] v = members.get(i)._2().vector();
                        if (v.length != dim) {
                            throw new dev.percept.PerceptException(members.get(i)._2().path() + ": vector of " + v.length
                                    + " values among vectors of " + dim);
                        }
                        System.arraycopy(v, 0, vectors, i * dim, dim);
                        labels.add(members.get(i)._2().label());
                    }
                    return new Block<>(group._1(), (int) (long) members.get(0)._1(), dim, vectors, labels);
                });
    }
}
