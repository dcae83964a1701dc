package org.mlx4j.nn;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/** Transforms over modules: the gradient of a loss with respect to a model's trainable parameters. */
public final class NN {
    private NN() {}

    /**
     * A loss of a model and its inputs.
     *
     * @param <M> the model type
     */
    @FunctionalInterface
    public interface ModelLoss<M extends Module> {
        /** Builds the scalar loss of {@code model} on {@code inputs} (for example features and labels). */
        Array apply(M model, Array... inputs);
    }

    /**
     * The loss and its gradients with respect to a model's trainable parameters, as a function of
     * the inputs.
     */
    @FunctionalInterface
    public interface ValueAndGradFn {
        /** Builds (lazily) the loss and gradients on {@code inputs}. */
        MX.ValueAndGrad<Map<String, Array>> apply(Array... inputs);
    }

    /**
     * Like MLX's {@code nn.value_and_grad(model, fn)}: returns a function that computes the loss and
     * the gradients shaped like {@code model.trainableParameters()} (same keys, same order). Frozen
     * parameters are constants and get no gradient. The model's parameters are the same after the
     * call as before.
     *
     * <pre>{@code
     * var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1]));
     * var r = lossAndGrad.apply(x, y);
     * model.update(optimizer.apply(r.grad(), model.trainableParameters()));
     * }</pre>
     */
    public static <M extends Module> ValueAndGradFn valueAndGrad(M model, ModelLoss<M> loss) {
        return inputs -> {
            Map<String, Array> trainable = model.trainableParameters();
            return MX.valueAndGradTree((Map<String, Array> p) -> {
                model.update(p);
                try {
                    return loss.apply(model, inputs);
                } finally {
                    model.update(trainable);
                }
            }).apply(trainable);
        };
    }
}
