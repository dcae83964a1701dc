package org.mlx4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Gradient checkpointing of one layer call, as MLX's {@code nn.utils.checkpoint(module)}: the layer's
 * trainable parameters and the array arguments are the inputs of an {@link MX#checkpoint} function,
 * so the backward pass recomputes the layer instead of keeping its intermediates, and the
 * parameters still get their gradients (captured arrays would not).
 */
final class TransformerCheckpoint {
    private TransformerCheckpoint() {}

    /**
     * {@code body.apply(args)} under checkpointing. {@code args} are the differentiable arguments
     * (none null); masks and other constants stay captured by {@code body}.
     */
    static Array call(Module layer, Function<Array[], Array> body, Array... args) {
        Map<String, Array> params = layer.trainableParameters();
        List<String> keys = new ArrayList<>(params.keySet());
        List<Array> inputs = new ArrayList<>(params.values());
        for (Array a : args) inputs.add(a);
        Function<List<Array>, List<Array>> f = in -> {
            // the backward pass calls this again with the original primals: swap them in, then restore
            Map<String, Array> saved = layer.trainableParameters();
            Map<String, Array> p = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) p.put(keys.get(i), in.get(i));
            layer.update(p);
            try {
                Array[] a = in.subList(keys.size(), in.size()).toArray(new Array[0]);
                return List.of(body.apply(a));
            } finally {
                layer.update(saved);
            }
        };
        return MX.checkpoint(f).apply(inputs).get(0);
    }
}
