package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.embed.EmbeddingFiles;
import dev.percept.embed.FeatureNorm;
import dev.percept.embed.Member;
import dev.percept.embed.ModelRequest;
import dev.percept.hub.HubSettings;
import dev.percept.hub.KnownModels;
import dev.percept.hub.ModelStore;
import dev.percept.image.ImageFiles;
import dev.percept.io.FloatArray;
import dev.percept.io.Npy;
import dev.percept.tensor.ComputeDevice;
import dev.percept.tensor.Engine;
import dev.percept.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Embed the bundled images with the bundled tiny model and print their distances.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path demo = Path.of(System.getProperty("percept.home", ".")).resolve("demo");
        if (!Files.isDirectory(demo.resolve("tiny-vit"))) {
            throw new PerceptException("bundled demo files not found under " + demo.toAbsolutePath()
                    + "; run the demo through the ./percept launcher at the repository root");
        }
        Engine.start(0);
        List<Path> images = ImageFiles.collect(List.of(demo.resolve("images")));
        ModelRequest request = new ModelRequest(demo.resolve("tiny-vit").toString(), null, Precision.AUTO,
                ComputeDevice.CPU, 0, false, null, List.of());
        List<Member> members = request.open(new ModelStore(HubSettings.fromEnvironment().withOffline(true), KnownModels.DEFAULT));
        Path npy = out.resolve("embeddings.npy");
        Files.createDirectories(out);
        try (Embedder embedder = new Embedder(members, FeatureNorm.NONE, 16)) {
            EmbeddingFiles.write(npy, embedder, members, FeatureNorm.NONE, images, Progress.onStderr("embed", "img", images.size()));
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        FloatArray rows = Npy.readFloats(npy);
        int dim = (int) rows.shape()[1];
        System.out.println("tiny random-weight ViT (the machinery, not perception yet): 1 - cos between the demo images");
        String[] names = images.stream().map(p -> p.getFileName().toString().replaceFirst("\\.[^.]+$", "")).toArray(String[]::new);
        System.out.printf(Locale.ROOT, "%-20s", "");
        for (String n : names) {
            System.out.printf(Locale.ROOT, "%20s", n);
        }
        System.out.println();
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-20s", names[i]);
            float[] a = Arrays.copyOfRange(rows.data(), i * dim, (i + 1) * dim);
            for (int j = 0; j < names.length; j++) {
                float[] b = Arrays.copyOfRange(rows.data(), j * dim, (j + 1) * dim);
                System.out.printf(Locale.ROOT, "%20.4f", Embedder.cosineDistance(a, b));
            }
            System.out.println();
        }
        System.out.println("embeddings: " + npy + " (inputs listed in " + EmbeddingFiles.sidecar(npy) + ")");
        return 0;
    }
}
