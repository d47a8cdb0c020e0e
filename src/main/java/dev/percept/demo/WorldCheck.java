package dev.percept.demo;

import dev.percept.eval.FeatureSource;
import dev.percept.io.MappedFloats;
import dev.percept.synth.NightsJudgments;
import dev.percept.synth.NightsJudgments.Judgment;
import dev.percept.tensor.FeatureMatrix;
import dev.percept.tensor.Ridge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the NIGHTS-like set allows before any model is aligned. The judges' ceiling: how often the
 * noise-free judge model picks the variant most judges picked (ties left out), the best any model
 * can agree with the majority. The probes: for each judged attribute, how much of its change
 * between a reference and a variant a ridge regression on the base model's feature difference
 * |f(ref) - f(variant)| explains (R^2 on the validation split), i.e. whether the features hold it
 * for alignment to re-weight.
 */
final class WorldCheck {
    static final List<Double> PENALTIES = List.of(1e-3, 1e-2, 1e-1, 1.0);
    /** Training triplets the probes fit on at most (two pairs each). */
    static final int PROBE_TRIPLETS = 1500;

    record Ceiling(String split, int triplets, double agreement) {}

    record Probe(String attribute, double r2) {}

    private WorldCheck() {}

    static Ceiling ceiling(Path nights, String split) {
        List<Judgment> all = NightsJudgments.read(nights, split);
        int decided = 0;
        int agree = 0;
        for (Judgment j : all) {
            Boolean m = j.judgeMatchesMajority();
            if (m != null) {
                decided++;
                agree += m ? 1 : 0;
            }
        }
        return new Ceiling(split, all.size(), agree / (double) decided);
    }

    /** One probe per judged attribute: fit on training pairs (penalty chosen on a fifth of them), R^2 on validation pairs. */
    static List<Probe> probes(Path nights, FeatureSource base) {
        List<Judgment> train = NightsJudgments.read(nights, "train");
        train = train.subList(0, Math.min(PROBE_TRIPLETS, train.size()));
        List<Judgment> val = NightsJudgments.read(nights, "val");
        int fit = train.size() * 4 / 5;
        Pairs fitPairs = pairs(train.subList(0, fit), base, "probe-fit");
        Pairs choosePairs = pairs(train.subList(fit, train.size()), base, "probe-choose");
        Pairs valPairs = pairs(val, base, "probe-val");
        List<Probe> out = new ArrayList<>();
        try (FeatureMatrix xFit = fitPairs.matrix(); FeatureMatrix xChoose = choosePairs.matrix();
                FeatureMatrix xVal = valPairs.matrix()) {
            for (int k = 0; k < NightsJudgments.ATTRIBUTES.size(); k++) {
                double[] yFit = fitPairs.target(k);
                double[] yChoose = choosePairs.target(k);
                double[] yVal = valPairs.target(k);
                try (Ridge ridge = new Ridge(xFit, yFit, xChoose, xVal)) {
                    double bestChoose = Double.NEGATIVE_INFINITY;
                    double r2 = Double.NaN;
                    for (double penalty : PENALTIES) {
                        Ridge.Predictions p = ridge.solve(penalty);
                        double c = rSquared(p.val(), yChoose);
                        if (c > bestChoose) {
                            bestChoose = c;
                            r2 = rSquared(p.test(), yVal);
                        }
                    }
                    out.add(new Probe(NightsJudgments.ATTRIBUTES.get(k), r2));
                }
            }
        }
        return out;
    }

    /** Rows |f(ref) - f(variant)| for both variants of every triplet, and their attribute changes. */
    private record Pairs(float[] rows, int dim, List<double[]> changes) {
        FeatureMatrix matrix() {
            return FeatureMatrix.of(rows, changes.size(), dim);
        }

        double[] target(int attribute) {
            return changes.stream().mapToDouble(c -> c[attribute]).toArray();
        }
    }

    private static Pairs pairs(List<Judgment> triplets, FeatureSource base, String what) {
        LinkedHashSet<Path> distinct = new LinkedHashSet<>();
        for (Judgment j : triplets) {
            distinct.add(j.ref());
            distinct.add(j.left());
            distinct.add(j.right());
        }
        List<Path> images = List.copyOf(distinct);
        MappedFloats f = base.vectors(images, what);
        Map<Path, Integer> row = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            row.put(images.get(i), i);
        }
        int dim = (int) f.rowElements();
        float[] rows = new float[2 * triplets.size() * dim];
        List<double[]> changes = new ArrayList<>();
        int at = 0;
        for (Judgment j : triplets) {
            float[] ref = f.row(row.get(j.ref()));
            for (int side = 0; side < 2; side++) {
                float[] v = f.row(row.get(side == 0 ? j.left() : j.right()));
                for (int d = 0; d < dim; d++) {
                    rows[at++] = Math.abs(ref[d] - v[d]);
                }
                changes.add(side == 0 ? j.leftChange() : j.rightChange());
            }
        }
        return new Pairs(rows, dim, changes);
    }

    static double rSquared(double[] predicted, double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            residual += (predicted[i] - y[i]) * (predicted[i] - y[i]);
            total += (y[i] - mean) * (y[i] - mean);
        }
        return total == 0 ? Double.NaN : 1 - residual / total;
    }

    static String describe(Ceiling val, Ceiling test, List<Probe> probes) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "  judges' ceiling (noise-free judge vs majority vote): val %.3f (%d), test %.3f (%d triplets)%n",
                val.agreement(), val.triplets(), test.agreement(), test.triplets()));
        s.append("  probes: R^2 on val of a ridge fit from the base model's |f(ref) - f(variant)| to each change:\n ");
        for (Probe p : probes) {
            s.append(String.format(Locale.ROOT, " %s %.2f", p.attribute(), p.r2()));
        }
        return s.append('\n').toString();
    }
}
