package org.mlx4j.nn;

import java.util.List;
import org.mlx4j.core.Array;

/**
 * Applies its layers in order. The layers are the children {@code layers.0}, {@code layers.1}, ...,
 * the keys of MLX's {@code nn.Sequential} (a PyTorch {@code nn.Sequential} uses {@code 0.weight};
 * see {@link Checkpoints}).
 */
public final class Sequential extends UnaryModule {
    private final List<UnaryModule> layers;

    /** Chains {@code layers} (none gives the identity). */
    public Sequential(UnaryModule... layers) {
        this.layers = registerModules("layers", List.of(layers));
    }

    /** The layers in order. */
    public List<UnaryModule> layers() { return layers; }

    /** The layer at {@code index}. */
    public UnaryModule get(int index) { return layers.get(index); }

    @Override public Array forward(Array x) {
        for (UnaryModule m : layers) x = m.forward(x);
        return x;
    }
}
