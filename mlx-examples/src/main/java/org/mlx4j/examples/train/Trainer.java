package org.mlx4j.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.NN;
import org.mlx4j.optim.Optimizer;

/**
 * The training loop behind the command line and the longer examples: runs a {@link Task} for a
 * number of epochs with one optimizer, shows a progress bar with loss and throughput, and after
 * each epoch measures the task's metrics and writes, atomically, into the output directory:
 * {@code metrics.csv}, {@code steps.csv}, {@code plot.png} and
 * {@code checkpoints/epoch-NNN.safetensors}; at the end {@code model.safetensors} (plain weights,
 * loadable with {@link Module#loadWeights}). Resuming from a checkpoint continues bit for bit: the
 * same parameters, optimizer state, step and data order as the uninterrupted run.
 */
public final class Trainer {
    /**
     * How to run.
     *
     * @param epochs   the total number of epochs (a resumed run continues up to it)
     * @param outDir   where the run's files go (created when missing)
     * @param seed     the seed of the data order
     * @param progress show a progress bar on the terminal
     * @param log      receives one line per epoch (and a few others)
     */
    public record Options(int epochs, Path outDir, long seed, boolean progress, Consumer<String> log) {
        /** Checks the values. */
        public Options {
            if (epochs <= 0) throw new IllegalArgumentException("[train] epochs must be positive, got " + epochs + ".");
            if (outDir == null) throw new IllegalArgumentException("[train] no output directory.");
            if (log == null) log = s -> {};
        }
    }

    private final Task task;
    private final Optimizer optimizer;
    private final Options options;

    /** A trainer of {@code task} with {@code optimizer}. */
    public Trainer(Task task, Optimizer optimizer, Options options) {
        this.task = task;
        this.optimizer = optimizer;
        this.options = options;
    }

    /**
     * Trains from scratch ({@code resume == null}) or from a checkpoint, up to {@link Options#epochs()}.
     *
     * @return every epoch's row, those restored from the checkpoint included
     * @throws IllegalArgumentException when the checkpoint is of another architecture or optimizer
     * @throws IOException              when an output file cannot be written
     */
    public List<EpochRow> run(Checkpoint resume) throws IOException {
        Module model = task.model();
        Path out = options.outDir();
        int startEpoch = 0;
        long step = 0;
        List<EpochRow> rows = new ArrayList<>();
        if (resume != null) {
            resume.checkArchitecture(task.architecture());
            if (resume.seed() != options.seed()) {
                throw new IllegalArgumentException("[resume] " + resume.file() + " was trained with seed " + resume.seed()
                        + ", not " + options.seed() + "; resume with --seed " + resume.seed() + ".");
            }
            resume.restoreModel(model);
            resume.restoreOptimizer(optimizer);
            startEpoch = resume.epoch();
            step = resume.step();
            if (!resume.metricsCsv().isEmpty()) rows.addAll(MetricsCsv.parse(resume.file(), resume.metricsCsv()));
            options.log().accept(String.format(Locale.ROOT, "resuming %s from %s: epoch %d, step %d", task.name(), resume.file(), startEpoch, step));
        }
        Files.createDirectories(out);
        // a run resumed in its own directory forgets the steps after its checkpoint; elsewhere it starts a new file
        Path stepsFile = out.resolve(StepsCsv.FILE);
        StepsCsv.truncate(stepsFile, step);
        List<double[]> stepLosses = Files.exists(stepsFile) ? new ArrayList<>(StepsCsv.readStepLoss(stepsFile)) : new ArrayList<>();
        StepsCsv stepsCsv = StepsCsv.append(stepsFile);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> task.loss(m, in));
        List<String> metricNames = new ArrayList<>();
        if (!rows.isEmpty()) metricNames.addAll(rows.getFirst().metrics().keySet());
        try (stepsCsv) {
            for (int epoch = startEpoch; epoch < options.epochs(); epoch++) {
                model.train();
                int n = task.stepsPerEpoch();
                double lossSum = 0;
                long t0 = System.nanoTime();
                try (Progress bar = Progress.start(String.format(Locale.ROOT, "%s epoch %d/%d", task.name(), epoch + 1, options.epochs()), n, options.progress() && Progress.isTerminal())) {
                    for (int i = 0; i < n; i++) {
                        Array[] batch = task.batch(options.seed(), epoch, i);
                        double loss = step(model, optimizer, lossAndGrad, batch);
                        step++;
                        lossSum += loss;
                        stepsCsv.add(step, epoch + 1, loss);
                        stepLosses.add(new double[] {step, loss});
                        double secs = (System.nanoTime() - t0) / 1e9;
                        bar.step(loss, (i + 1) * (double) task.itemsPerStep() / secs, task.itemUnit());
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                model.eval();
                Map<String, Double> metrics = new LinkedHashMap<>(task.evaluate());
                model.train();
                if (metricNames.isEmpty()) metricNames.addAll(metrics.keySet());
                EpochRow row = new EpochRow(epoch + 1, step, lossSum / n, metrics, seconds, n * (double) task.itemsPerStep() / seconds);
                rows.add(row);
                stepsCsv.flush();
                MetricsCsv.write(out.resolve(MetricsCsv.FILE), metricNames, rows);
                Plots.writeTrainingPlot(out.resolve(Plots.FILE), stepLosses, rows, task.name());
                Checkpoint.write(Checkpoint.pathFor(out, epoch + 1), task.architecture(), model, optimizer, epoch + 1, step, options.seed(),
                        MetricsCsv.format(metricNames, rows));
                options.log().accept(describe(row, task.itemUnit()));
            }
        }
        Path finalWeights = out.resolve("model.safetensors");
        Checkpoint.write(finalWeights, task.architecture(), model, null, rows.isEmpty() ? 0 : rows.getLast().epoch(), step, options.seed(),
                MetricsCsv.format(metricNames, rows));
        return rows;
    }

    /** One line per epoch: {@code epoch 2/5 step 938 train_loss 0.4012 test_accuracy 0.8731 ... 12.3 s 4,870 img/s}. */
    static String describe(EpochRow row, String unit) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d step %d train_loss %.4f", row.epoch(), row.step(), row.trainLoss()));
        row.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        sb.append(String.format(Locale.ROOT, " time %.1f s, %,.0f %s/s", row.epochSeconds(), row.itemsPerSecond(), unit));
        return sb.toString();
    }

    /**
     * One optimizer step: loss and gradients, new parameters, then one evaluation of everything
     * read later (parameters, optimizer state, loss); arrays left out of it would be recomputed.
     *
     * @return the minibatch loss (a sync point)
     */
    public static double step(Module model, Optimizer opt, NN.ValueAndGradFn lossAndGrad, Array... batch) {
        var r = lossAndGrad.apply(batch);
        model.update(opt.apply(r.grad(), model.trainableParameters()));
        List<Array> targets = new ArrayList<>(model.parameters().values());
        targets.addAll(opt.state().values());
        targets.add(r.value());
        MX.eval(targets);
        return r.value().item();
    }
}
