package dev.percept;

/**
 * A failure the user can act on: a malformed file, a missing key, an unsupported option. The
 * message names the file, row or key and is shown as is, without a stack trace.
 */
public class PerceptException extends RuntimeException {
    public PerceptException(String message) {
        super(message);
    }

    public PerceptException(String message, Throwable cause) {
        super(message, cause);
    }
}
