package org.mlx4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.fashion.FashionTask;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.lm.LmTask;
import org.mlx4j.examples.train.Checkpoint;
import org.mlx4j.examples.train.EpochRow;
import org.mlx4j.examples.train.Trainer;
import org.mlx4j.optim.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlx4j finetune lora|head}: adapts a trained model to new data. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a trained model: LoRA adapters on the LM, or a new head on the CNN.",
        subcommands = {FinetuneCommand.Lora.class, FinetuneCommand.Head.class})
final class FinetuneCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: lora or head.");
    }

    /** LoRA on the byte-level LM. */
    @Command(name = "lora", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fine-tune a language model with LoRA adapters on its attention and MLP layers (base weights frozen),",
                    "report the validation loss on the new text before and after and the share of trainable parameters,",
                    "and merge the adapters back into a plain checkpoint (merged.safetensors).",
                    "Defaults: Debian's fortunes, rank 8, scale 2, 2 epochs of 100 steps, batch 32, Adam 1e-3, constant."})
    static final class Lora implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "CHECKPOINT", description = "The pretrained LM (a checkpoint, model.safetensors, or a run directory).")
        Path from;

        @Option(names = "--rank", defaultValue = "8", description = "Adapter rank. Default: ${DEFAULT-VALUE}.")
        int rank;

        @Option(names = "--scale", defaultValue = "2.0", description = "Factor on the adapters' output (alpha / rank). Default: ${DEFAULT-VALUE}.")
        double scale;

        @Mixin TrainingFlags flags;
        @Mixin LmFlags lm;

        @Override public Integer call() throws Exception {
            if (rank <= 0) throw new IllegalArgumentException("[--rank] must be positive, got " + rank + ".");
            // every flag checked before anything is loaded or written
            int epochs = flags.epochs(2);
            double lr = flags.learningRate(1e-3);
            flags.checkOptimizer("adam", "constant");
            Devices.use(flags.device);
            Checkpoint base = Checkpoint.read(from);
            if (!Models.kind(base).equals("lm") || base.architecture().containsKey("lora_rank")) {
                throw new IllegalArgumentException("[finetune lora] " + base.file() + " is not a plain language model (architecture " + base.architecture()
                        + "); train one with ./mlx4j train lm.");
            }
            Checkpoint resume = flags.resume == null ? null : Checkpoint.read(flags.resume);
            long seed = flags.seed(resume);
            MX.seed(seed);
            CharTransformer model = (CharTransformer) Models.restore(base);
            var task0 = new LmTask(model, lm.corpus(LmFlags.DEFAULT_FINETUNE_TEXT, System.out::println), flags.batchSize(32),
                    flags.stepsPerEpoch > 0 ? flags.stepsPerEpoch : 100);
            model.eval();
            double before = task0.evaluate().get("val_loss");
            model.applyLoRA(rank, scale);
            Map<String, String> arch = new LinkedHashMap<>(task0.architecture());
            arch.put("lora_rank", Integer.toString(rank));
            arch.put("lora_scale", Double.toString(scale));
            var task = new ArchitectureOverride(task0, arch);
            long trainable = model.trainableParameterCount(), total = model.parameterCount();
            System.out.printf(Locale.ROOT, "LoRA rank %d: %,d trainable of %,d parameters (%.2f%%); validation loss before: %.4f%n",
                    rank, trainable, total, 100.0 * trainable / total, before);
            Optimizer opt = flags.optimizer("adam", lr, "constant", (long) epochs * task.stepsPerEpoch(), true);
            Path out = flags.outDir("lora");
            List<EpochRow> rows = new Trainer(task, opt, new Trainer.Options(epochs, out, seed, !flags.noProgress, System.out::println)).run(resume);
            double after = rows.isEmpty() ? Double.NaN : rows.getLast().metrics().get("val_loss");
            model.mergeLoRA();
            Path merged = out.resolve("merged.safetensors");
            Checkpoint.write(merged, task0.architecture(), model, null, rows.isEmpty() ? 0 : rows.getLast().epoch(), rows.isEmpty() ? 0 : rows.getLast().step(), seed, "");
            System.out.printf(Locale.ROOT, "validation loss on the new text: before %.4f, after %.4f; trainable share %.2f%%%n", before, after, 100.0 * trainable / total);
            System.out.println("merged the adapters into " + merged + " (a plain LM: ./mlx4j generate " + merged + ")");
            return 0;
        }
    }

    /** A new head on the CNN's frozen convolutions, for a subset of the classes. */
    @Command(name = "head", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Retrain the CNN's head on a subset of the classes, with the convolutions frozen; the new head starts",
                    "from the trained one (its hidden layer, and the output rows of the chosen classes).",
                    "Reports the subset's test accuracy before (the old head, restricted to those classes) and after.",
                    "Defaults: classes 0,2,4,6 (the four tops), 2 epochs, batch 128, Adam 1e-3."})
    static final class Head implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "CHECKPOINT", description = "A CNN checkpoint from ./mlx4j train cnn (file or run directory).")
        Path from;

        @Option(names = "--classes", defaultValue = "0,2,4,6", description = "Classes to keep, in the new head's order. Default: ${DEFAULT-VALUE} ("
                + "T-shirt/top, Pullover, Coat, Shirt).")
        String classes;

        @Mixin TrainingFlags flags;
        @Mixin DataFlags data;

        @Override public Integer call() throws Exception {
            Devices.use(flags.device);
            int[] cls = FashionModels.parseClasses(classes);
            // every flag checked before anything is loaded or written
            int epochs = flags.epochs(2);
            double lr = flags.learningRate(1e-3);
            flags.checkOptimizer("adam", "constant");
            Checkpoint base = Checkpoint.read(from);
            if (!Models.kind(base).equals("cnn") || base.architecture().containsKey("classes")) {
                throw new IllegalArgumentException("[finetune head] " + base.file() + " is not a ten-class CNN (architecture " + base.architecture()
                        + "); train one with ./mlx4j train cnn.");
            }
            Checkpoint resume = flags.resume == null ? null : Checkpoint.read(flags.resume);
            long seed = flags.seed(resume);
            MX.seed(seed);
            FashionMnist d = data.load(System.out::println);
            var model = (FashionModels.Cnn) Models.restore(base);
            var arch = FashionModels.architecture("cnn", cls);
            var task = new FashionTask("head", model, d, cls, data.trainLimit, flags.batchSize(128), flags.stepsPerEpoch, arch);
            double before = restrictedAccuracy(model, d, cls);
            model.features().freeze();
            model.replaceHead(FashionModels.head((org.mlx4j.nn.Sequential) model.head(), cls));
            long trainable = model.trainableParameterCount(), total = model.parameterCount();
            System.out.printf(Locale.ROOT, "head for classes %s: %,d trainable of %,d parameters (%.1f%%); subset test accuracy before: %.4f%n",
                    classes, trainable, total, 100.0 * trainable / total, before);
            Optimizer opt = flags.optimizer("adam", lr, "constant", (long) epochs * task.stepsPerEpoch(), false);
            Path out = flags.outDir("head");
            List<EpochRow> rows = new Trainer(task, opt, new Trainer.Options(epochs, out, seed, !flags.noProgress, System.out::println)).run(resume);
            double after = rows.isEmpty() ? Double.NaN : rows.getLast().metrics().get("test_accuracy");
            System.out.printf(Locale.ROOT, "subset test accuracy: before %.4f (ten-class head, restricted), after %.4f (new head)%n", before, after);
            return 0;
        }

        /** Accuracy of the ten-class model on the subset when only the subset's logits compete. */
        static double restrictedAccuracy(FashionModels.Cnn model, FashionMnist d, int[] cls) {
            model.eval();
            Array idx = MX.array(cls, cls.length);
            int[] remap = new int[10];
            java.util.Arrays.fill(remap, -1);
            for (int i = 0; i < cls.length; i++) remap[cls[i]] = i;
            int[] y = d.testLabels().toIntArray();
            long correct = 0, n = 0;
            for (int s = 0; s < y.length; s += 1000) {
                int e = Math.min(y.length, s + 1000);
                Array x = MX.slice(d.testImages(), new int[] {s, 0, 0, 0}, new int[] {e, 28, 28, 1}, new int[] {1, 1, 1, 1});
                int[] pred = MX.astype(MX.argmax(MX.take(model.forward(x), idx, 1), -1, false), DType.INT32).toIntArray();
                for (int i = s; i < e; i++) {
                    if (remap[y[i]] < 0) continue;
                    n++;
                    if (pred[i - s] == remap[y[i]]) correct++;
                }
            }
            model.train();
            return (double) correct / n;
        }
    }

    /** A task whose checkpoints carry a different architecture (the LoRA settings beside the LM's). */
    record ArchitectureOverride(org.mlx4j.examples.train.Task inner, Map<String, String> arch) implements org.mlx4j.examples.train.Task {
        @Override public String name() { return "lora"; }
        @Override public org.mlx4j.nn.Module model() { return inner.model(); }
        @Override public int stepsPerEpoch() { return inner.stepsPerEpoch(); }
        @Override public Array[] batch(long seed, int epoch, int index) { return inner.batch(seed, epoch, index); }
        @Override public Array loss(org.mlx4j.nn.Module model, Array[] batch) { return inner.loss(model, batch); }
        @Override public Map<String, Double> evaluate() { return inner.evaluate(); }
        @Override public long itemsPerStep() { return inner.itemsPerStep(); }
        @Override public String itemUnit() { return inner.itemUnit(); }
        @Override public Map<String, String> architecture() { return arch; }
    }
}
