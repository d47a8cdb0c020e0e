package dev.percept.cli;

import dev.percept.PerceptException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns failures a user can fix (bad files, bad keys, bad arguments) into one clear line and exit
 * code 2; anything else is a bug and keeps its stack trace (exit 1).
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof PerceptException || cause instanceof IOException) {
            cli.getErr().println("error: " + cause.getMessage());
            return 2;
        }
        e.printStackTrace(cli.getErr());
        return 1;
    }
}
