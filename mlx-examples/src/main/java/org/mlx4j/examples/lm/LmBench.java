package org.mlx4j.examples.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.backend.cpu.Parallel;
import org.mlx4j.core.backend.cpu.Simd;
import org.mlx4j.nn.NN;
import org.mlx4j.optim.AdamW;
import org.mlx4j.optim.Optimizer;

/**
 * mlx4j's side of ../shared/peers/transformer_lm.py: the same model, corpus, split, optimizer and
 * protocol, printing the same {@code RESULT} lines with {@code mlx4j} in their names
 * ({@code lm.mlx4j.tokens_per_s_median}, {@code lm.mlx4j.val_loss_step300}, ...).
 *
 * <p>A timed step is batch sampling + forward + loss + backward + AdamW update, everything
 * evaluated in one {@link MX#eval}, then the loss read. Tokens/s is B*T over the median step time
 * after the warm-up steps. AdamW as torch's defaults: lr 3e-4, betas (0.9, 0.999), eps 1e-8,
 * weight decay 0.01 on every parameter, with bias correction.
 *
 * <p>Usage: {@code LmBench [--steps 300] [--warmup-steps 10] [--batch 32] [--ctx 128] [--d-model 128]
 * [--heads 4] [--layers 4] [--lr 3e-4] [--seed 0] [--corpus-glob GLOB|DIR|FILE]}.
 * {@code bench/compare.sh lm} runs it beside the peer.
 */
public final class LmBench {
    private LmBench() {}

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        int steps = 300, warmup = 10, batch = 32, ctx = 128, dims = 128, heads = 4, layers = 4;
        double lr = 3e-4;
        long seed = 0;
        String corpusSpec = ByteCorpus.VIM_HELP_GLOB;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) usage("option " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup-steps" -> warmup = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--ctx" -> ctx = Integer.parseInt(v);
                case "--d-model" -> dims = Integer.parseInt(v);
                case "--heads" -> heads = Integer.parseInt(v);
                case "--layers" -> layers = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--corpus-glob" -> corpusSpec = v;
                default -> usage("unknown option " + a);
            }
        }
        if (steps <= warmup) usage("--steps (" + steps + ") must exceed --warmup-steps (" + warmup + ")");
        info("mlx4j cpu path=" + Simd.describe() + " threads=" + Parallel.THREADS + " java=" + Runtime.version());
        ByteCorpus corpus = ByteCorpus.load(corpusSpec);
        info("corpus files=" + corpus.files().size() + " bytes=" + corpus.length() + " sha256=" + corpus.sha256().substring(0, 16) + " glob=" + corpusSpec);

        MX.seed(seed);
        var config = new CharTransformer.Config(layers, dims, heads, ctx, 256);
        CharTransformer model = new CharTransformer(config);
        info("model layers=" + layers + " d_model=" + dims + " heads=" + heads + " ctx=" + ctx + " batch=" + batch + " vocab=256 params=" + model.parameterCount());
        LmTask task = new LmTask(model, corpus, batch, steps);
        Optimizer opt = AdamW.builder(lr).betas(0.9, 0.999).eps(1e-8).weightDecay(0.01).biasCorrection(true).build();
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> LmTask.loss(m, in[0], in[1]));

        double v0 = task.evaluate().get("val_loss");
        info(String.format(Locale.ROOT, "val_loss_step0=%.4f (ln 256 = %.4f)", v0, Math.log(256)));
        double[] times = new double[steps], losses = new double[steps];
        long tAll = System.nanoTime();
        for (int s = 1; s <= steps; s++) {
            long t0 = System.nanoTime();
            Array[] b = task.batch(seed, 0, s - 1);
            var r = lossAndGrad.apply(b[0], b[1]);
            model.update(opt.apply(r.grad(), model.trainableParameters()));
            List<Array> targets = new ArrayList<>(model.parameters().values());
            targets.addAll(opt.state().values());
            targets.add(r.value());
            MX.eval(targets);
            double lv = r.value().item();
            times[s - 1] = (System.nanoTime() - t0) / 1e9;
            losses[s - 1] = lv;
            if (s % 50 == 0 || s == 1) {
                info(String.format(Locale.ROOT, "step=%d loss=%.4f step_ms=%.1f elapsed_s=%.1f", s, lv, times[s - 1] * 1e3, (System.nanoTime() - tAll) / 1e9));
            }
        }
        double total = (System.nanoTime() - tAll) / 1e9;
        double[] steady = Arrays.copyOfRange(times, warmup, steps);
        long tok = (long) batch * ctx;
        long tv = System.nanoTime();
        double v1 = task.evaluate().get("val_loss");
        info(String.format(Locale.ROOT, "val eval %.2fs; train loop total %.1fs", (System.nanoTime() - tv) / 1e9, total));
        double med = median(steady), sum = Arrays.stream(steady).sum();
        int last = Math.min(10, steps);
        double lastMean = Arrays.stream(losses, steps - last, steps).sum() / last;
        result("lm.mlx4j.tokens_per_s_median", tok / med, "tokens/s");
        result("lm.mlx4j.tokens_per_s_mean_after_warmup", tok * steady.length / sum, "tokens/s");
        result("lm.mlx4j.step_ms_median", med * 1e3, "ms");
        result("lm.mlx4j.train_loss_step" + steps, losses[steps - 1], "nats");
        result("lm.mlx4j.train_loss_mean_last" + last + "_step" + steps, lastMean, "nats");
        result("lm.mlx4j.val_loss_step" + steps, v1, "nats");
        result("lm.mlx4j.val_loss_step0", v0, "nats");
        result("lm.mlx4j.peak_memory_mb", MX.peakMemory() / 1e6, "MB");
    }

    /** The peer's median: the middle value, or the mean of the two middle ones. */
    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static void usage(String why) {
        System.err.println("LmBench: " + why);
        System.err.println("usage: LmBench [--steps 300] [--warmup-steps 10] [--batch 32] [--ctx 128] [--d-model 128] [--heads 4] [--layers 4] "
                + "[--lr 3e-4] [--seed 0] [--corpus-glob GLOB|DIR|FILE]");
        System.exit(2);
    }

    private static void info(String msg) { System.out.println("INFO " + msg); }

    private static void result(String name, double v, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s=%.6g %s%n", name, v, unit);
    }
}
