package dev.percept.image;

import dev.percept.PerceptException;

/**
 * The resampling filters of Pillow's {@code Image.resize}, with Pillow's numbering (the
 * {@code resample} field of a Hugging Face {@code preprocessor_config.json}).
 */
public enum ResampleFilter {
    /** Triangle filter, support 1. */
    BILINEAR(2, 1.0),
    /** Keys cubic convolution with a = -0.5, support 2. */
    BICUBIC(3, 2.0);

    private final int pilCode;
    private final double support;

    ResampleFilter(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the filter at scale 1, in source pixels. */
    double support() {
        return support;
    }

    double weight(double x) {
        double t = Math.abs(x);
        return switch (this) {
            case BILINEAR -> t < 1.0 ? 1.0 - t : 0.0;
            case BICUBIC -> {
                double a = -0.5;
                if (t < 1.0) {
                    yield ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
                }
                yield t < 2.0 ? (((t - 5) * t + 8) * t - 4) * a : 0.0;
            }
        };
    }

    /** The filter Pillow numbers {@code code}; only bilinear (2) and bicubic (3) are supported. */
    public static ResampleFilter fromPilCode(int code) {
        for (ResampleFilter filter : values()) {
            if (filter.pilCode == code) {
                return filter;
            }
        }
        throw new PerceptException("resample filter " + code + " is not supported (supported: 2 = bilinear, 3 = bicubic)");
    }
}
