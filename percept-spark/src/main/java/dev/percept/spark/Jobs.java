package dev.percept.spark;

import dev.percept.PerceptException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.SparkException;
import picocli.CommandLine;

/** Runs a job's command line as {@code percept} runs a verb: bad input prints {@code error: ...} and exits 2. */
final class Jobs {
    private Jobs() {}

    /** The exit code of {@code job} on {@code args}. */
    static int run(Callable<Integer> job, String... args) {
        CommandLine cli = new CommandLine(job);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            String message = userMessage(e);
            if (message == null) {
                throw e;
            }
            PrintWriter err = line.getErr();
            err.println("error: " + message);
            err.flush();
            return 2;
        });
        return cli.execute(args);
    }

    static void main(Callable<Integer> job, String... args) {
        System.exit(run(job, args));
    }

    /**
     * The one-line message of a user error, also when an executor threw it (the driver then sees
     * a SparkException whose message quotes the executor's); null for anything else.
     */
    private static String userMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PerceptException) {
                return t.getMessage();
            }
        }
        if (e instanceof SparkException && e.getMessage() != null) {
            String marker = PerceptException.class.getName() + ": ";
            int at = e.getMessage().indexOf(marker);
            if (at >= 0) {
                String rest = e.getMessage().substring(at + marker.length());
                int end = rest.indexOf('\n');
                return end < 0 ? rest : rest.substring(0, end);
            }
        }
        return null;
    }
}
