package org.mlx4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.examples.lm.ByteCorpus;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.lm.LmTask;
import org.mlx4j.examples.lm.Sampler;
import org.mlx4j.nn.NN;
import org.mlx4j.optim.AdamW;

/**
 * A byte-level transformer language model in one file: 4 pre-LayerNorm blocks of width 128 with 4
 * heads and a context of 128 bytes, trained with AdamW on Debian's Vim help (or any text), then
 * asked to continue a prompt. The model is {@link CharTransformer}; {@link LmTask} draws the
 * training windows and measures the validation loss as ../shared/peers/transformer_lm.py does.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat mlx-examples/target/mlx4j.classpath)" mlx-examples/src/main/java/org/mlx4j/examples/CharLmExample.java [steps] [text]
 * </pre>
 * It saves {@code charlm.safetensors}, which {@link LoraFinetuneExample} fine-tunes.
 */
public final class CharLmExample {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ByteCorpus text = ByteCorpus.load(args.length > 1 ? args[1] : ByteCorpus.VIM_HELP_GLOB);
        System.out.println(text);
        MX.seed(0);
        var model = new CharTransformer(new CharTransformer.Config(4, 128, 4, 128, 256));
        var task = new LmTask(model, text, 32, steps);
        // bias correction as PyTorch: MLX's default (none) takes ~3x larger first steps and stalls this model early on
        var optimizer = AdamW.builder(3e-4).biasCorrection(true).build();
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> task.loss(m, in));
        System.out.printf("validation loss before training: %.4f (ln 256 = 5.545)%n", task.evaluate().get("val_loss"));
        long t0 = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            Array[] batch = task.batch(0, 0, step);                 // 32 random windows of 128 bytes and their next bytes
            var r = lossAndGrad.apply(batch);
            model.update(optimizer.apply(r.grad(), model.trainableParameters()));
            List<Array> targets = new ArrayList<>(model.parameters().values());   // evaluate the whole step at once
            targets.addAll(optimizer.state().values());
            targets.add(r.value());
            MX.eval(targets);
            if ((step + 1) % 50 == 0) {
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("step %d: loss %.4f, %.0f tokens/s%n", step + 1, r.value().item(), (step + 1) * 32.0 * 128 / secs);
            }
        }
        model.eval();
        System.out.printf("validation loss after %d steps: %.4f%n", steps, task.evaluate().get("val_loss"));
        System.out.println(":help " + Sampler.generate(model, ":help ", 200, 0.8, 0));
        model.saveWeights(Path.of("charlm.safetensors"));
        System.out.println("saved charlm.safetensors");
    }
}
