package dev.percept.spark;

import dev.percept.PerceptException;
import dev.percept.image.ImageDecoder;
import dev.percept.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/**
 * One task of {@link EmbedJob}: its whole batches, in order, through the executor's shared model.
 * An image that cannot be read or decoded gets its error in its row and leaves its batch; the
 * rest of the batch is embedded.
 */
final class EmbedPartition implements FlatMapFunction<Iterator<Tuple2<Long, String>>, Row> {
    private final ModelSpec spec;
    private final int batch;
    private final int threads;

    EmbedPartition(ModelSpec spec, int batch, int threads) {
        this.spec = spec;
        this.batch = batch;
        this.threads = threads;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Long, String>> images) {
        if (!images.hasNext()) {
            return List.<Row>of().iterator();
        }
        int n = threads > 0 ? threads : TaskContext.get() == null ? 1 : TaskContext.get().cpus();
        ExecutorModel model = ExecutorModel.get(spec, batch, n);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private Tuple2<Long, String> pending = images.next();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && pending != null) {
                    embedNextBatch();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            /** The rows of the batch {@code pending} starts, in path order. */
            private void embedNextBatch() {
                long id = pending._1() / batch;
                List<String> paths = new ArrayList<>();
                while (pending != null && pending._1() / batch == id) {
                    paths.add(pending._2());
                    pending = images.hasNext() ? images.next() : null;
                }
                String[] errors = new String[paths.size()];
                List<RgbImage> decoded = new ArrayList<>();
                for (int i = 0; i < paths.size(); i++) {
                    try {
                        decoded.add(ImageDecoder.decode(ImageBytes.read(paths.get(i)), Path.of(paths.get(i))));
                    } catch (PerceptException e) {
                        errors[i] = e.getMessage();
                    }
                }
                float[][] vectors = decoded.isEmpty() ? new float[0][] : model.embedder().embedDecoded(decoded);
                int next = 0;
                for (int i = 0; i < paths.size(); i++) {
                    ready.add(errors[i] != null
                            ? RowFactory.create(paths.get(i), model.identity(), null, errors[i])
                            : RowFactory.create(paths.get(i), model.identity(), vectors[next++], null));
                }
            }
        };
    }
}
