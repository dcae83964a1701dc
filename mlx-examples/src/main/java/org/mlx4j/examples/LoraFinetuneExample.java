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
import org.mlx4j.optim.Adam;

/**
 * LoRA fine-tuning in one file: load the byte-level LM pretrained on the Vim help, wrap its
 * attention and MLP layers in rank-8 LoRA adapters (the base weights frozen), train the adapters on
 * a second text (Debian's fortunes), compare the validation loss on that text before and after,
 * and merge the adapters back into a plain checkpoint.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat mlx-examples/target/mlx4j.classpath)" mlx-examples/src/main/java/org/mlx4j/examples/LoraFinetuneExample.java \
 *      charlm.safetensors [steps] [rank] [text]
 * </pre>
 * The pretrained weights come from {@link CharLmExample} or {@code ./mlx4j train lm} (its
 * {@code model.safetensors}). {@code ./mlx4j finetune lora --from RUN} does the same with progress,
 * plots and checkpoints.
 */
public final class LoraFinetuneExample {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoraFinetuneExample PRETRAINED.safetensors [steps] [rank] [text]");
            System.exit(2);
        }
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200, rank = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        ByteCorpus text = ByteCorpus.load(args.length > 3 ? args[3] : ByteCorpus.FORTUNES_DIR);
        System.out.println(text);

        var model = new CharTransformer(new CharTransformer.Config(4, 128, 4, 128, 256));
        model.loadWeights(Path.of(args[0]));
        var task = new LmTask(model, text, 32, steps);
        model.eval();
        double before = task.evaluate().get("val_loss");

        MX.seed(0);
        model.applyLoRA(rank, 2.0);                       // adapters on qkv, proj, fc1, fc2; all else frozen
        model.train();
        System.out.printf("trainable: %,d of %,d parameters (%.2f%%)%n", model.trainableParameterCount(), model.parameterCount(),
                100.0 * model.trainableParameterCount() / model.parameterCount());
        var optimizer = Adam.builder(1e-3).biasCorrection(true).build();
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> task.loss(m, in));
        for (int step = 0; step < steps; step++) {
            var r = lossAndGrad.apply(task.batch(0, 0, step));
            model.update(optimizer.apply(r.grad(), model.trainableParameters()));
            List<Array> targets = new ArrayList<>(model.trainableParameters().values());
            targets.addAll(optimizer.state().values());
            targets.add(r.value());
            MX.eval(targets);
            if ((step + 1) % 50 == 0) System.out.printf("step %d: loss %.4f%n", step + 1, r.value().item());
        }
        model.eval();
        double after = task.evaluate().get("val_loss");
        System.out.printf("validation loss on the new text: before %.4f, after %.4f%n", before, after);

        model.mergeLoRA();                                // plain Linear layers again, same keys as the base
        model.saveWeights(Path.of("charlm-lora-merged.safetensors"));
        System.out.println("saved charlm-lora-merged.safetensors");
        System.out.println(Sampler.generate(model, "Q: ", 200, 0.8, 0));
    }
}
