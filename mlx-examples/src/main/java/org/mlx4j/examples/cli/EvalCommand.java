package org.mlx4j.examples.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.fashion.FashionTask;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.lm.LmTask;
import org.mlx4j.examples.train.Checkpoint;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.UnaryModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlx4j eval CHECKPOINT}: test accuracy of a Fashion-MNIST model, or validation loss of the LM. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a checkpoint (a file, or a run directory for its newest checkpoint):",
                "Fashion-MNIST models print test accuracy and loss; the LM prints the validation loss on its text (the last 10%)."})
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint or model.safetensors written by train/finetune, or a run directory.")
    Path checkpoint;

    @Mixin DataFlags data;
    @Mixin LmFlags lm;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu[:N]. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override public Integer call() throws Exception {
        Devices.use(device);
        Checkpoint c = Checkpoint.read(checkpoint);
        String kind = Models.kind(c);
        Module model = Models.restore(c);
        Map<String, Double> metrics;
        if (kind.equals("lm")) {
            var task = new LmTask((CharTransformer) model, lm.corpus(LmFlags.DEFAULT_PRETRAIN_TEXT, System.out::println), 32, 1);
            model.eval();
            metrics = task.evaluate();
        } else {
            int[] classes = Models.classes(c);
            var task = new FashionTask(kind, (UnaryModule) model, data.load(System.out::println), classes, 0, 128, 1, FashionModels.architecture(kind, classes));
            model.eval();
            metrics = task.evaluate();
        }
        StringBuilder sb = new StringBuilder(c.file().toString()).append(':');
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        System.out.println(sb);
        return 0;
    }
}
