package org.mlx4j.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.lm.LmTask;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.NN;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.UnaryModule;
import org.mlx4j.optim.Adam;
import org.mlx4j.optim.AdamW;
import org.mlx4j.optim.Optimizer;

/**
 * mlx4j's side of ../shared/peers/gpu_peers.py, workload for workload: GEMM (fp32, TF32, bf16, fp16
 * at 4096 and 8192, TFLOP/s), element-wise bandwidth, and the time of one training step of the
 * Fashion-MNIST MLP and CNN and of the character LM, on random data of the real shapes. Timings are
 * the median of repeats after warm-up, each ended by a device synchronization. Prints the peer's
 * {@code RESULT name=value unit} lines with the same names, so the two outputs line up.
 *
 * <p>Usage: {@code GpuBench [--device gpu|cpu] [--only gemm,elementwise,mlp,cnn,lm] [--small]}.
 * {@code --device cpu --small} is a smoke run that works anywhere.
 */
public final class GpuBench {
    private GpuBench() {}

    private static Device device = Device.gpu();
    private static boolean small;

    /** Entry point; see the class comment. */
    public static void main(String[] args) {
        String only = "gemm,elementwise,mlp,cnn,lm";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = args[++i].equals("cpu") ? Device.cpu() : Device.gpu();
                case "--only" -> only = args[++i];
                case "--small" -> small = true;
                default -> {
                    System.err.println("usage: GpuBench [--device gpu|cpu] [--only gemm,elementwise,mlp,cnn,lm] [--small]");
                    System.exit(2);
                }
            }
        }
        Backend b = Backends.forDevice(device);
        System.out.println("INFO mlx4j backend=" + b.name() + " device=" + device + " java=" + Runtime.version());
        for (String line : b.diagnostics()) System.out.println("INFO " + line);
        Device.setDefaultDevice(device);
        MX.seed(0);
        for (String w : only.split(",")) {
            switch (w) {
                case "gemm" -> gemm();
                case "elementwise" -> elementwise();
                case "mlp" -> fashion("mlp", FashionModels.mlp(), new int[] {128, 784});
                case "cnn" -> fashion("cnn", FashionModels.cnn(), new int[] {128, 28, 28, 1});
                case "lm" -> lm();
                default -> throw new IllegalArgumentException("unknown workload " + w);
            }
        }
    }

    static void result(String name, double v, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s=%.6g %s%n", name, v, unit);
    }

    /** Waits for the device: the end of every timed repeat. */
    static void sync() {
        Backend b = Backends.forDevice(device);
        b.synchronize(b.defaultStream(device.index()));
    }

    /** Median seconds of {@code reps} runs of {@code f} after {@code warmup} runs. */
    static double timed(Runnable f, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) f.run();
        sync();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            f.run();
            sync();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return reps % 2 == 1 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
    }

    static void gemm() {
        int[] sizes = small ? new int[] {256} : new int[] {4096, 8192};
        for (int n : sizes) {
            for (String label : new String[] {"fp32", "tf32", "bf16", "fp16"}) {
                DType t = switch (label) {
                    case "bf16" -> DType.BFLOAT16;
                    case "fp16" -> DType.FLOAT16;
                    default -> DType.FLOAT32;
                };
                if (device.type() == Device.Type.CPU && t != DType.FLOAT32) continue;
                System.setProperty("mlx4j.cuda.allowTf32", Boolean.toString(label.equals("tf32")));
                Array a = MX.normal(new int[] {n, n}).astype(t).eval();
                Array bm = MX.normal(new int[] {n, n}).astype(t).eval();
                double s = timed(() -> MX.matmul(a, bm).eval(), 3, 10);
                result("gemm." + label + ".n" + n, 2.0 * n * n * n / s / 1e12, "TFLOP/s");
            }
        }
        System.setProperty("mlx4j.cuda.allowTf32", "false");
    }

    static void elementwise() {
        int n = 1 << (small ? 20 : 28);
        Array x = MX.uniform(new int[] {n}).eval();
        double s = timed(() -> MX.add(MX.multiply(x, MX.scalarLike(2, x)), MX.scalarLike(1, x)).eval(), 3, 10);
        result("elem.affine_unfused.GBps_min", 2.0 * 4 * n / s / 1e9, "GB/s");
        s = timed(() -> MX.sum(x).eval(), 3, 10);
        result("elem.sum.GBps", 4.0 * n / s / 1e9, "GB/s");
        Array m = MX.uniform(new int[] {4096, 4096}).eval();
        s = timed(() -> MX.softmax(m, -1).eval(), 3, 10);
        result("elem.softmax4096.ms", s * 1e3, "ms");
    }

    /** One Adam step on a random batch of the real shape, as the peer times it. */
    static void fashion(String name, UnaryModule model, int[] xShape) {
        Array x = MX.uniform(xShape).eval();
        Array y = MX.randint(0, 10, 128).eval();
        Optimizer opt = new Adam(1e-3);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        double s = timed(() -> step(model, opt, lossAndGrad, x, y), 5, small ? 5 : 20);
        result(name + ".step_ms", s * 1e3, "ms");
        result(name + ".epoch_s_est", s * 469, "s");
    }

    static void step(Module model, Optimizer opt, NN.ValueAndGradFn lossAndGrad, Array x, Array y) {
        var r = lossAndGrad.apply(x, y);
        model.update(opt.apply(r.grad(), model.trainableParameters()));
        List<Array> targets = new ArrayList<>(model.parameters().values());
        targets.addAll(opt.state().values());
        targets.add(r.value());
        MX.eval(targets);
    }

    static void lm() {
        int batch = small ? 4 : 32, ctx = small ? 32 : 128;
        CharTransformer model = new CharTransformer(new CharTransformer.Config(small ? 1 : 4, small ? 32 : 128, 4, ctx, 256));
        SplittableRandom r = new SplittableRandom(0);
        int[] xs = new int[batch * ctx], ys = new int[batch * ctx];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextInt(256);
            ys[i] = r.nextInt(256);
        }
        Array x = MX.array(xs, batch, ctx).eval(), y = MX.array(ys, batch, ctx).eval();
        Optimizer opt = AdamW.builder(3e-4).betas(0.9, 0.999).eps(1e-8).weightDecay(0.01).biasCorrection(true).build();
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> LmTask.loss(m, in[0], in[1]));
        double s = timed(() -> step(model, opt, lossAndGrad, x, y), 5, small ? 5 : 20);
        result("lm.step_ms", s * 1e3, "ms");
        result("lm.tokens_per_s", batch * ctx / s, "tokens/s");
    }
}
