package dev.percept.cli;

import dev.percept.PerceptException;
import dev.percept.console.Progress;
import dev.percept.embed.Embedder;
import dev.percept.image.ImageFiles;
import dev.percept.model.FeatureNorm;
import dev.percept.model.Member;
import dev.percept.search.ImageIndexer;
import dev.percept.search.IndexBuilder;
import dev.percept.search.ModelIdentity;
import dev.percept.search.Quantization;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Build or update a search index (Lucene HNSW) of the images under DIRs; reruns are incremental.")
final class IndexCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "INDEX", description = "Index folder (created, or updated in place).")
    Path out;

    @Option(names = "--quantize", defaultValue = "none", paramLabel = "Q",
            description = "none (float32), int7 or int4: Lucene's scalar-quantized HNSW. Default: ${DEFAULT-VALUE}.")
    String quantize;

    @Option(names = "--rebuild", description = "Start the index over (needed to change the model or --quantize).")
    boolean rebuild;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Image folders (searched recursively) or files.")
    List<Path> inputs;

    @Override
    public Integer call() {
        Quantization quantization = Quantization.parse(quantize);
        FeatureNorm norm = normalization();
        List<Path> images = ImageFiles.collect(inputs);
        List<Member> members = model.open();
        try (Embedder embedder = new Embedder(members, norm, batch)) {
            if (embedder.rowShape().length != 1) {
                throw new PerceptException("--features patch_tokens gives a grid per image; an index needs one vector per image");
            }
            ModelIdentity identity = ModelIdentity.of(model.request(), members, norm, model.store(), embedder.rowLength());
            try (IndexBuilder builder = IndexBuilder.open(out, identity, quantization, rebuild)) {
                ImageIndexer.Report r = ImageIndexer.update(builder, out, images, embedder,
                        Progress.onStderr("index", "img", images.size()), spec.commandLine().getErr()::println);
                System.out.printf("%s: %d images (%d added, %d changed, %d unchanged, %d removed; %d took an indexed copy's vector)%s%n",
                        out, r.total(), r.added(), r.changed(), r.unchanged(), r.removed(), r.reused(),
                        r.unreadable() == 0 ? "" : "; " + r.unreadable() + " unreadable, skipped (warnings above)");
            }
        } finally {
            members.forEach(m -> m.backbone().close());
        }
        return 0;
    }

    /** dreamsim unless --normalize says l2: the distance 1 - cos needs unit vectors, so none is refused. */
    private FeatureNorm normalization() {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--normalize")) {
            return FeatureNorm.DREAMSIM;
        }
        FeatureNorm norm = model.normalization();
        if (norm == FeatureNorm.NONE) {
            throw new PerceptException("--normalize none is not accepted by index: its distance needs unit vectors (dreamsim or l2)");
        }
        return norm;
    }
}
