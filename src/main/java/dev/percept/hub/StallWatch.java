package dev.percept.hub;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a response body that has sent nothing for too long: HttpClient has no read timeout
 * for a body it streams, and a silent connection would otherwise hang the download forever.
 */
final class StallWatch {

    private final long limitNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "percept-download-stall");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong lastData = new AtomicLong(System.nanoTime());
    private volatile boolean fired;

    StallWatch(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    void watch(InputStream in) {
        long period = Math.max(limitNanos / 4, 10_000_000L);
        timer.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastData.get() > limitNanos) {
                fired = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // closing is all we wanted; the reader sees the end of the stream
                }
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    void dataArrived() {
        lastData.set(System.nanoTime());
    }

    boolean fired() {
        return fired;
    }

    String reason() {
        return "no data for " + Duration.ofNanos(limitNanos).toMillis() / 1000.0 + " s";
    }

    void stop() {
        timer.shutdownNow();
    }
}
