package org.mlx4j.examples.cli;

import java.io.IOException;
import java.util.function.Consumer;
import org.mlx4j.examples.lm.ByteCorpus;
import org.mlx4j.examples.lm.CharTransformer;
import picocli.CommandLine.Option;

/** The language model's text and shape (picocli mixin). */
final class LmFlags {
    static final String DEFAULT_PRETRAIN_TEXT = ByteCorpus.VIM_HELP_GLOB;
    static final String DEFAULT_FINETUNE_TEXT = ByteCorpus.FORTUNES_DIR;

    @Option(names = "--text", paramLabel = "PATH|GLOB", description = "Text for the LM: a file, a folder or a glob. Default: Debian's Vim help (vim-runtime) for train, its fortunes (package fortunes) for finetune lora.")
    String text;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--dims", defaultValue = "128", description = "Model width. Default: ${DEFAULT-VALUE}.")
    int dims;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads. Default: ${DEFAULT-VALUE}.")
    int heads;

    @Option(names = "--context", defaultValue = "128", description = "Context length in bytes. Default: ${DEFAULT-VALUE}.")
    int context;

    CharTransformer.Config config() { return new CharTransformer.Config(layers, dims, heads, context, 256); }

    ByteCorpus corpus(String dflt, Consumer<String> log) throws IOException {
        ByteCorpus c = ByteCorpus.load(text == null ? dflt : text);
        log.accept(c + ", sha256 " + c.sha256().substring(0, 16));
        return c;
    }
}
