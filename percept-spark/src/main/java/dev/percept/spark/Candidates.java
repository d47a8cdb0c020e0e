package dev.percept.spark;

import dev.percept.tensor.CosineTopK;
import java.io.Serializable;

/**
 * Each query row's best keys so far, by cosine similarity, nearest first (ties to the lower key
 * row): the partial result of one query block against some key blocks, merged across key blocks.
 *
 * @param k candidates per query (the requested k, or fewer keys seen so far)
 * @param tags per candidate, what the job needs of the key (its class, or whether it is a hit)
 */
record Candidates(int k, float[] similarities, int[] keys, int[] tags) implements Serializable {
    /** What a job records of key {@code key} as a candidate of query {@code query} (both rows within their blocks). */
    @FunctionalInterface
    interface Tagger<Q extends Serializable, K extends Serializable> extends Serializable {
        int tag(Block<Q> queries, int query, Block<K> keys, int key);
    }

    /** The {@code k} nearest rows of {@code keys} to each row of {@code queries}: the core's exact search on the two blocks. */
    static <Q extends Serializable, K extends Serializable> Candidates search(Block<Q> queries, Block<K> keys, int k,
            Tagger<Q, K> tagger) {
        CosineTopK.Neighbours nn = CosineTopK.search(queries.vectors(), keys.vectors(), queries.dim(), k);
        int[] global = new int[nn.indices().length];
        int[] tags = new int[global.length];
        for (int q = 0; q < nn.queries(); q++) {
            for (int j = 0; j < nn.k(); j++) {
                int key = nn.index(q, j);
                global[q * nn.k() + j] = keys.first() + key;
                tags[q * nn.k() + j] = tagger.tag(queries, q, keys, key);
            }
        }
        return new Candidates(nn.k(), nn.similarities(), global, tags).sorted(queries.count());
    }

    int queries() {
        return keys.length / Math.max(1, k);
    }

    /** The best {@code limit} of both lists, per query. */
    Candidates merge(Candidates other, int limit) {
        int n = queries();
        int kk = Math.min(limit, k + other.k);
        float[] sims = new float[n * kk];
        int[] ids = new int[n * kk];
        int[] tg = new int[n * kk];
        for (int q = 0; q < n; q++) {
            int a = 0;
            int b = 0;
            for (int j = 0; j < kk; j++) {
                boolean takeA = b >= other.k || a < k && before(similarities[q * k + a], keys[q * k + a],
                        other.similarities[q * other.k + b], other.keys[q * other.k + b]);
                Candidates from = takeA ? this : other;
                int at = q * from.k + (takeA ? a++ : b++);
                sims[q * kk + j] = from.similarities[at];
                ids[q * kk + j] = from.keys[at];
                tg[q * kk + j] = from.tags[at];
            }
        }
        return new Candidates(kk, sims, ids, tg);
    }

    private static boolean before(float simA, int keyA, float simB, int keyB) {
        return simA > simB || simA == simB && keyA < keyB;
    }

    /** Each query's candidates in merge order (torch.topk leaves ties in no promised order). */
    private Candidates sorted(int n) {
        for (int q = 0; q < n; q++) {
            for (int i = 1; i < k; i++) { // insertion sort: k is small and already nearly sorted
                for (int j = q * k + i; j > q * k && before(similarities[j], keys[j], similarities[j - 1], keys[j - 1]); j--) {
                    swap(j, j - 1);
                }
            }
        }
        return this;
    }

    private void swap(int i, int j) {
        float s = similarities[i];
        similarities[i] = similarities[j];
        similarities[j] = s;
        int t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
        t = tags[i];
        tags[i] = tags[j];
        tags[j] = t;
    }
}
