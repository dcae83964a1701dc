package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Shape;

/**
 * Random bits from Threefry-2x32 keys, laid out exactly like MLX's (and JAX's) {@code random.bits}.
 *
 * <p>The input holds keys of shape {@code (..., 2)} (uint32); the output has shape {@code shape},
 * whose leading axes match the key batch axes (one key gives the whole output). For each key the
 * output bytes are {@code W = ceil(bytesPerKey / 4)} little-endian 32-bit words: with
 * {@code h = W / 2} and {@code o = W % 2}, counter pair {@code (c, c + h + o)} for {@code c < h} is
 * hashed into words {@code c} and {@code c + h + o}, and for odd {@code W} word {@code h} is the
 * first half of the hash of {@code (h, 0)}; the last word is cut to the bytes that remain.
 *
 * <p>Output dtype: uint32 for width 4, uint8 for width 1, and int32 holding the uint16 values for
 * width 2 (mlx4j has no uint16). The key is integral, so there is no derivative: the vjp is zero.
 *
 * @param shape the output shape
 * @param width bytes per element: 1, 2 or 4
 */
public record RandomBits(Shape shape, int width) implements Primitive {
    @Override public String name() { return "RandomBits"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Arrays.asList(new Array[argnums.length]);
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return zerosLike(output);
    }
}
