package org.mlx4j.examples.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mlx4j.optim.AdamW;
import org.mlx4j.optim.Adam;
import org.mlx4j.optim.Optimizer;
import org.mlx4j.optim.RMSprop;
import org.mlx4j.optim.SGD;
import org.mlx4j.optim.Schedule;
import org.mlx4j.optim.Schedules;
import picocli.CommandLine.Option;

/** The flags every training command shares (picocli mixin). */
final class TrainingFlags {
    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train in all (a resumed run continues up to N). Default: ${DEFAULT-VALUE} = the command's default.")
    Integer epochs;

    @Option(names = {"--batch-size", "-b"}, paramLabel = "N", description = "Minibatch size. Default: the command's default.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate. Default: the command's default.")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, adamw, sgd (momentum 0.9) or rmsprop. Default: the command's default.")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Learning rate over the run: constant, or cosine (from --lr down to 0 at the last step). Default: the command's default.")
    String schedule;

    @Option(names = "--bias-correction", paramLabel = "true|false", arity = "1", description = "Adam/AdamW bias correction: true as PyTorch, false as MLX's default (larger first steps). Default: the command's default.")
    Boolean biasCorrection;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the initialization and the data order. Default: 0, or the checkpoint's when resuming.")
    Long seedFlag;

    /** The seed: --seed, else the resumed checkpoint's, else 0. */
    long seed(org.mlx4j.examples.train.Checkpoint resume) {
        return seedFlag != null ? seedFlag : resume != null ? resume.seed() : 0L;
    }

    @Option(names = {"--out", "-o"}, paramLabel = "DIR", description = "Output directory (metrics.csv, steps.csv, plot.png, checkpoints/, model.safetensors). Default: runs/<task>-<time>, or the checkpoint's run directory when resuming.")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue bit for bit from a checkpoint file or a run directory (its newest checkpoint).")
    Path resume;

    @Option(names = "--steps-per-epoch", paramLabel = "N", defaultValue = "0", description = "Cut each epoch after N steps (0: the whole epoch; the LM's default is 100).")
    int stepsPerEpoch;

    @Option(names = "--no-progress", description = "No progress bar (it shows only on a terminal anyway); one line per epoch.")
    boolean noProgress;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", description = "auto (a GPU when a GPU backend is available, else the CPU), cpu, or gpu[:N]. Default: ${DEFAULT-VALUE}.")
    String device;

    int epochs(int dflt) { return positive("--epochs", epochs, dflt); }

    int batchSize(int dflt) { return positive("--batch-size", batchSize, dflt); }

    double learningRate(double dflt) {
        double lr = learningRate == null ? dflt : learningRate;
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("[--lr] the learning rate must be a positive number, got " + lr + ".");
        return lr;
    }

    static int positive(String flag, Integer v, int dflt) {
        int x = v == null ? dflt : v;
        if (x <= 0) throw new IllegalArgumentException("[" + flag + "] must be positive, got " + x + ".");
        return x;
    }

    /** Checks --optimizer and --schedule before anything is loaded. */
    void checkOptimizer(String dflt, String dfltSchedule) {
        String name = (optimizer == null ? dflt : optimizer).toLowerCase(Locale.ROOT);
        if (!java.util.List.of("adam", "adamw", "sgd", "rmsprop").contains(name)) {
            throw new IllegalArgumentException("[--optimizer] unknown optimizer '" + name + "'; choose adam, adamw, sgd or rmsprop.");
        }
        String sched = (schedule == null ? dfltSchedule : schedule).toLowerCase(Locale.ROOT);
        if (!sched.equals("constant") && !sched.equals("cosine")) {
            throw new IllegalArgumentException("[--schedule] unknown schedule '" + sched + "'; choose constant or cosine.");
        }
    }

    /**
     * The optimizer named by --optimizer (or {@code dflt}) with the peak learning rate {@code lr},
     * held constant or decayed by a cosine to 0 over {@code totalSteps} (--schedule, or {@code dfltSchedule}).
     */
    Optimizer optimizer(String dflt, double lr, String dfltSchedule, long totalSteps, boolean dfltBiasCorrection) {
        checkOptimizer(dflt, dfltSchedule);
        boolean bc = biasCorrection == null ? dfltBiasCorrection : biasCorrection;
        String name = (optimizer == null ? dflt : optimizer).toLowerCase(Locale.ROOT);
        boolean cosine = (schedule == null ? dfltSchedule : schedule).equalsIgnoreCase("cosine");
        Schedule s = cosine ? Schedules.cosineDecay(lr, (int) Math.min(Integer.MAX_VALUE, totalSteps)) : null;
        return switch (name) {
            case "adam" -> cosine ? Adam.builder(s).biasCorrection(bc).build() : Adam.builder(lr).biasCorrection(bc).build();
            case "adamw" -> cosine ? AdamW.builder(s).biasCorrection(bc).build() : AdamW.builder(lr).biasCorrection(bc).build();
            case "sgd" -> cosine ? SGD.builder(s).momentum(0.9).build() : SGD.builder(lr).momentum(0.9).build();
            default -> cosine ? new RMSprop(s) : new RMSprop(lr);
        };
    }

    /** The output directory: --out, else the resumed run's directory, else runs/<task>-<time>. */
    Path outDir(String task) {
        if (out != null) return out;
        if (resume != null) {
            Path p = resume.toAbsolutePath();
            if (java.nio.file.Files.isDirectory(p)) return p;
            Path parent = p.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("checkpoints")) return parent.getParent();
        }
        return Path.of("runs", task + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
