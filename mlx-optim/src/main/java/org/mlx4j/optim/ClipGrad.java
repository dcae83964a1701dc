package org.mlx4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Gradient clipping on parameter trees, as MLX's {@code mlx.optimizers.clip_grad_norm}.
 * <pre>{@code
 * var clipped = ClipGrad.clipGradNorm(grads, 1.0);
 * model.update(opt.apply(clipped.gradients(), model.trainableParameters()));
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {}

    /**
     * A clipped gradient tree and the norm of the original one.
     *
     * @param gradients the (possibly) rescaled gradients, same keys and order as the input
     * @param totalNorm the global L2 norm of the input gradients, a lazy scalar array
     */
    public record Clipped(Map<String, Array> gradients, Array totalNorm) {}

    /**
     * Scales the gradients so their global L2 norm does not exceed {@code maxNorm}: with
     * {@code n = sqrt(sum over arrays of sum(g^2))}, every gradient is multiplied by
     * {@code min(maxNorm / (n + 1e-6), 1)}. Lazy. An empty tree gives an empty tree and norm 0.
     *
     * @param gradients the gradient tree
     * @param maxNorm   the largest global norm allowed, finite and &gt;= 0
     * @return the clipped tree and the original global norm
     * @throws IllegalArgumentException ({@code [clipGradNorm]}) for a negative or non-finite
     *                                  {@code maxNorm}, a null tree or a null gradient
     */
    public static Clipped clipGradNorm(Map<String, Array> gradients, double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("[clipGradNorm] maxNorm must be finite and >= 0, got " + maxNorm + ".");
        }
        if (gradients == null) throw new IllegalArgumentException("[clipGradNorm] the gradient tree is null.");
        Array normSquared = null;
        for (var e : gradients.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("[clipGradNorm] gradient '" + e.getKey() + "' is null.");
            Array s = MX.square(e.getValue()).sum();
            normSquared = normSquared == null ? s : normSquared.add(s);
        }
        if (normSquared == null) return new Clipped(new LinkedHashMap<>(), MX.array(0.0));
        Array total = MX.sqrt(normSquared);
        Array scale = MX.divide(MX.scalarLike(maxNorm, total), total.add(1e-6));
        Array normalizer = MX.minimum(scale, MX.scalarLike(1.0, scale));
        Map<String, Array> out = new LinkedHashMap<>();
        for (var e : gradients.entrySet()) out.put(e.getKey(), e.getValue().multiply(normalizer));
        return new Clipped(out, total);
    }
}
