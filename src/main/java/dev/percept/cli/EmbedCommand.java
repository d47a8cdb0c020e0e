package dev.percept.cli;

import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.embed.EmbeddingFiles;
import dev.percept.image.ImageFiles;
import dev.percept.model.Member;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed images: float32 .npy rows in sorted input order, plus a JSON sidecar listing the inputs.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .npy file (sidecar: same name, .json).")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Override
    public Integer call() {
        List<Path> images = ImageFiles.collect(inputs);
        List<Member> members = model.open();
        try (Embedder embedder = new Embedder(members, model.normalization(), batch)) {
            Progress progress = Progress.onStderr("embed", "img", images.size());
            EmbeddingFiles.write(out, embedder, members, model.normalization(), images, progress);
            System.err.printf("wrote %d x %s to %s%n", images.size(),
                    Arrays.toString(embedder.rowShape()), out);
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        return 0;
    }
}
