package org.mlx4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * A low-rank adapter on a frozen {@link Linear}, like the {@code LoRALinear} of MLX's LoRA examples
 * (mlx-examples, mlx-lm): {@code y = linear(x) + scale * (dropout(x) @ lora_a) @ lora_b}.
 *
 * <p>Child {@code linear} (frozen: its keys stay {@code linear.weight}, {@code linear.bias}) and
 * parameters {@code lora_a} (inputDims, rank), uniform in {@code [-1/sqrt(inputDims),
 * 1/sqrt(inputDims)]}, and {@code lora_b} (rank, outputDims), zeros, so a fresh adapter computes
 * exactly the base layer. After construction only {@code lora_a} and {@code lora_b} are trainable
 * (an {@link #unfreeze()} of the whole model would unfreeze the base too). Dropout, active only in
 * training mode, applies to the adapter's input alone. {@link #toLinear()} folds the adapter into a
 * plain {@link Linear} for inference or export.
 *
 * <p>Input (..., inputDims), output (..., outputDims). As in MLX the input is cast to the base
 * weight's dtype for the base layer (so a low-precision base works with float32 input), while the
 * adapter computes in the promoted dtype.
 */
public final class LoRALinear extends UnaryModule {
    private final Linear linear;
    private final int rank;
    private final double scale;
    private final double dropout;

    /**
     * Wraps {@code linear} with rank 8, scale 20 and no dropout (mlx-lm's defaults).
     *
     * @see #fromBase(Linear, int, double, double)
     */
    public static LoRALinear fromBase(Linear linear) { return fromBase(linear, 8, 20.0, 0.0); }

    /**
     * Wraps an existing layer, which is frozen in place and becomes the child {@code linear}.
     *
     * @param linear  the base layer (its parameters are frozen by this call)
     * @param rank    the adapter rank r (default 8)
     * @param scale   the factor on the adapter's output (default 20; {@code alpha / r} in the LoRA paper's terms)
     * @param dropout the dropout probability on the adapter's input, in [0, 1) (default 0)
     * @throws IllegalArgumentException if linear is null, rank is not positive, scale is not finite or dropout is out of range
     */
    public static LoRALinear fromBase(Linear linear, int rank, double scale, double dropout) {
        if (linear == null) throw new IllegalArgumentException("[LoRALinear] the base linear is null.");
        return new LoRALinear(linear, rank, scale, dropout);
    }

    /**
     * A LoRA layer on a new base {@link Linear} without a bias (MLX's constructor default), rank 8,
     * scale 20, no dropout.
     */
    public LoRALinear(int inputDims, int outputDims) { this(inputDims, outputDims, 8, false, 20.0, 0.0); }

    /**
     * A LoRA layer on a new, frozen base {@link Linear} (randomly initialized as Linear is).
     *
     * @param inputDims  input features
     * @param outputDims output features
     * @param rank       the adapter rank (default 8)
     * @param bias       give the base layer a bias (default false, as MLX's LoRALinear)
     * @param scale      the factor on the adapter's output (default 20)
     * @param dropout    the dropout probability on the adapter's input, in [0, 1) (default 0)
     * @throws IllegalArgumentException if a size or the rank is not positive, scale is not finite or dropout is out of range
     */
    public LoRALinear(int inputDims, int outputDims, int rank, boolean bias, double scale, double dropout) {
        this(checkedLinear(inputDims, outputDims, bias), rank, scale, dropout);
    }

    private static Linear checkedLinear(int inputDims, int outputDims, boolean bias) {
        if (inputDims <= 0 || outputDims <= 0) {
            throw new IllegalArgumentException("[LoRALinear] sizes must be positive, got inputDims=" + inputDims + " and outputDims=" + outputDims + ".");
        }
        return new Linear(inputDims, outputDims, bias);
    }

    private LoRALinear(Linear linear, int rank, double scale, double dropout) {
        if (rank <= 0) throw new IllegalArgumentException("[LoRALinear] rank must be positive, got " + rank + ".");
        if (!Double.isFinite(scale)) throw new IllegalArgumentException("[LoRALinear] scale must be finite, got " + scale + ".");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("[LoRALinear] dropout must be in [0, 1), got " + dropout + ".");
        this.rank = rank;
        this.scale = scale;
        this.dropout = dropout;
        this.linear = registerModule("linear", linear);
        linear.freeze();
        double s = 1.0 / Math.sqrt(linear.inputDims());
        registerParameter("lora_a", MX.uniform(-s, s, new int[] {linear.inputDims(), rank}));
        registerParameter("lora_b", MX.zeros(rank, linear.outputDims()));
    }

    /** The frozen base layer. */
    public Linear linear() { return linear; }

    /** The down projection {@code lora_a}, (inputDims, rank). */
    public Array loraA() { return param("lora_a"); }

    /** The up projection {@code lora_b}, (rank, outputDims). */
    public Array loraB() { return param("lora_b"); }

    /** The adapter rank. */
    public int rank() { return rank; }

    /** The factor on the adapter's output. */
    public double scale() { return scale; }

    /** The adapter's input dropout probability. */
    public double dropout() { return dropout; }

    /**
     * {@code linear(x) + scale * (dropout(x) @ lora_a) @ lora_b}.
     *
     * @throws IllegalArgumentException if {@code x} is not (..., inputDims)
     */
    @Override public Array forward(Array x) {
        if (x.ndim() == 0 || x.dim(-1) != linear.inputDims()) {
            throw new IllegalArgumentException("[LoRALinear] expected input (..., " + linear.inputDims() + "), got shape " + x.shape() + ".");
        }
        DType baseType = linear.weight().dtype();
        Array y = linear.forward(x.dtype() == baseType ? x : MX.astype(x, baseType));
        Array d = x;
        if (isTraining() && dropout > 0) {
            // inverted dropout, as MLX's nn.Dropout: keep with probability 1 - p and rescale
            Array keep = MX.astype(MX.bernoulli(1 - dropout, x.shape().toArray()), x.dtype());
            d = MX.multiply(x, keep).multiply(1 / (1 - dropout));
        }
        Array z = MX.matmul(MX.matmul(d, loraA()), loraB());
        return MX.add(y, z.multiply(scale));
    }

    /**
     * A plain {@link Linear} computing this layer's output (without dropout): weight
     * {@code W + scale * (lora_a @ lora_b)^T} in the base weight's dtype, the base's bias. The
     * result is a new, trainable module; this layer is unchanged. (Building it draws the new
     * Linear's discarded initial values from the global random state.)
     */
    public Linear toLinear() {
        Array w = linear.weight();
        Array delta = MX.transpose(MX.matmul(loraA(), loraB())).multiply(scale);
        Linear fused = new Linear(linear.inputDims(), linear.outputDims(), linear.bias() != null);
        Map<String, Array> p = new LinkedHashMap<>();
        p.put("weight", MX.astype(MX.add(w, delta), w.dtype()));
        if (linear.bias() != null) p.put("bias", linear.bias());
        fused.update(p);
        return fused;
    }

    /** Same as {@link #toLinear()}: the adapter merged into the base weight. */
    public Linear merge() { return toLinear(); }

    @Override protected String describe() {
        return "inputDims=" + linear.inputDims() + ", outputDims=" + linear.outputDims() + ", rank=" + rank + ", scale=" + scale + ", dropout=" + dropout;
    }
}
