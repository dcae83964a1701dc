package org.mlx4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.lm.Sampler;
import org.mlx4j.examples.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlx4j generate CHECKPOINT}: samples text from a trained LM. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sample text from a language model trained by 'train lm' or 'finetune lora'.")
final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "An LM checkpoint, model.safetensors, merged.safetensors, or a run directory.")
    Path checkpoint;

    @Option(names = "--prompt", defaultValue = "The ", description = "Text to continue. Default: '${DEFAULT-VALUE}'.")
    String prompt;

    @Option(names = "--tokens", defaultValue = "300", description = "Bytes to generate. Default: ${DEFAULT-VALUE}.")
    int tokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 picks the likeliest byte. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu[:N]. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override public Integer call() throws Exception {
        if (tokens <= 0) throw new IllegalArgumentException("[--tokens] must be positive, got " + tokens + ".");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("[--temperature] must be >= 0, got " + temperature + ".");
        Devices.use(device);
        Checkpoint c = Checkpoint.read(checkpoint);
        if (!Models.kind(c).equals("lm")) {
            throw new IllegalArgumentException("[generate] " + c.file() + " holds a " + Models.kind(c) + " model, not a language model; train one with ./mlx4j train lm.");
        }
        CharTransformer model = (CharTransformer) Models.restore(c);
        System.out.println(prompt + Sampler.generate(model, prompt, tokens, temperature, seed));
        return 0;
    }
}
