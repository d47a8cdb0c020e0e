package dev.percept.cli;

import dev.percept.console.Progress;
import dev.percept.synth.Size;
import dev.percept.synth.SyntheticWorld;
import dev.percept.synth.World;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Render the synthetic perceptual world: scenes of shapes on a ground plane, and from them "
                + "NIGHTS-, BAPPS-, THINGS- and ImageNet-like 2AFC sources plus counting (CLEVR layout), segmentation "
                + "(VOC), depth (NYUv2/BTS), retrieval (DeepFashion2) and classification sets.",
            "The same seed and size give byte-identical files; an existing world of the same seed and size is reused, "
                + "a different one is refused."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The world's folder (created).")
    Path out;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed of every random choice.")
    long seed;

    @Option(names = "--size", defaultValue = "small", paramLabel = "small|medium",
            description = "small: 64 px, seconds to render; medium: 128 px, about 3.5x the items. Default: ${DEFAULT-VALUE}.")
    String size;

    @Override
    public Integer call() {
        Size s = Size.named(size);
        long start = System.nanoTime();
        World world = SyntheticWorld.build(out, seed, s, Progress.onStderr("synth", "img", s.images()));
        System.err.printf(Locale.ROOT, "%s %s (seed %d, size %s, %d px)%s%n", world.reused() ? "reused" : "wrote",
                world.root(), world.seed(), world.size(), world.imageSize(),
                world.reused() ? "" : String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - start) / 1e9));
        world.counts().forEach((name, n) -> System.out.printf(Locale.ROOT, "%-15s %6d%n", name, n));
        return 0;
    }
}
