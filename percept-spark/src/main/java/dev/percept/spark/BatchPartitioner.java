package dev.percept.spark;

import org.apache.spark.Partitioner;

/**
 * Sends row i (of the sorted inputs) to the task that runs its batch i / batchSize; batches are
 * spread over the tasks in contiguous ranges, so no batch is split.
 */
final class BatchPartitioner extends Partitioner {
    private final int batchSize;
    private final long batches;
    private final int tasks;

    BatchPartitioner(int batchSize, long batches, int tasks) {
        this.batchSize = batchSize;
        this.batches = batches;
        this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
        return tasks;
    }

    @Override
    public int getPartition(Object key) {
        long batch = (Long) key / batchSize;
        return (int) (batch * tasks / batches);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchPartitioner p && p.batchSize == batchSize && p.batches == batches && p.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(batches) * 31 + batchSize * 17 + tasks;
    }
}
