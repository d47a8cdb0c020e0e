package dev.percept.embed;

import dev.percept.PerceptException;
import java.util.Locale;

/** How images become model inputs ({@code --preprocess}). */
public enum PreprocessMode {
    /** Resize to the square input, no crop (DreamSim's). */
    DREAMSIM,
    /** Resize the shorter side, then centre-crop (upstream evaluation's). */
    UPSTREAM;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreprocessMode parse(String s) {
        for (PreprocessMode m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new PerceptException("--preprocess must be dreamsim or upstream, not " + s);
    }
}
