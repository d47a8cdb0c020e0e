package dev.percept.cli;

import dev.percept.embed.Embedder;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "distance", mixinStandardHelpOptions = true,
        description = "Print the perceptual distance 1 - cos(f(A), f(B)) between two images.")
final class DistanceCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Parameters(index = "0", paramLabel = "A", description = "First image.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Second image.")
    Path b;

    @Override
    public Integer call() {
        List<Member> members = model.open();
        try (Embedder embedder = new Embedder(members, model.normalization(), 2)) {
            System.out.printf(Locale.ROOT, "%.6f%n", Embedder.cosineDistance(embedder.embed(a), embedder.embed(b)));
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        return 0;
    }
}
