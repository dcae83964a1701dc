package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;

/** Caller mistakes give an IllegalArgumentException naming the op and the values, at once. */
class BadInputTest {
    static void rejects(String prefix, String mention, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(prefix), "expected prefix " + prefix + " in: " + ex.getMessage());
        assertTrue(ex.getMessage().contains(mention), "expected '" + mention + "' in: " + ex.getMessage());
    }

    final Array m23 = ones(2, 3);

    @Test
    void shapesThatDoNotBroadcast() {
        rejects("[add]", "(2, 3) and (4, 5)", () -> add(m23, ones(4, 5)));
        rejects("[matmul]", "(2, 3) and (2, 3)", () -> matmul(m23, m23));
        rejects("[broadcastTo]", "(2, 3) to (4, 3)", () -> broadcastTo(m23, 4, 3));
        rejects("[where]", "cannot be broadcast", () -> where(ones(new int[] {2}, DType.BOOL), m23, ones(3, 2)));
    }

    @Test
    void axesOutOfRange() {
        rejects("[sum]", "axis 2", () -> sum(m23, 2));
        rejects("[mean]", "axis -3", () -> mean(m23, -3));
        rejects("[transpose]", "repeated axis", () -> transpose(m23, 0, 0));
        rejects("[squeeze]", "size 3", () -> squeeze(m23, 1));
        rejects("[argmax]", "axis 4", () -> argmax(m23, 4, false));
        rejects("[expandDims]", "axis 5", () -> expandDims(m23, 5));
    }

    @Test
    void undefinedDtypeCombinations() {
        rejects("[bitwiseAnd]", "float32", () -> bitwiseAnd(m23, m23));
        rejects("[bitwiseInvert]", "float32", () -> bitwiseInvert(m23));
        rejects("[subtract]", "bool", () -> subtract(ones(new int[] {2}, DType.BOOL), ones(new int[] {2}, DType.BOOL)));
        rejects("[dtype]", "float8", () -> DType.fromName("float8"));
    }

    @Test
    void negativeOrInconsistentSizes() {
        rejects("[full]", "[-1, 3]", () -> zeros(-1, 3));
        rejects("[array]", "5 values do not fill shape (2, 3)", () -> array(new float[] {1, 2, 3, 4, 5}, 2, 3));
        rejects("[reshape]", "into shape (4,)", () -> reshape(m23, 4));
        rejects("[reshape]", "only one dimension can be -1", () -> reshape(m23, -1, -1));
        rejects("[arange]", "step must be nonzero", () -> arange(0, 5, 0, DType.FLOAT32));
        rejects("[linspace]", "-2", () -> linspace(0, 1, -2));
    }

    @Test
    void indicesOutOfRange() {
        rejects("[get]", "index 5 is out of bounds for axis 0 with size 2", () -> m23.get("5"));
        rejects("[get]", "too many indices", () -> m23.get("0, 0, 0"));
        rejects("[get]", "cannot parse index 'x'", () -> m23.get("x"));
        rejects("[get]", "step cannot be zero", () -> m23.get("::0"));
    }

    @Test
    void transformsAndSyncPoints() {
        rejects("[item]", "shape (2, 3)", () -> m23.item());
        rejects("[grad]", "must return a scalar", () -> grad((Array x) -> multiply(x, x)).apply(m23));
        rejects("[vjp]", "cotangent 0 has shape (3,)", () -> vjp(xs -> List.of(exp(xs.get(0))), List.of(m23), List.of(ones(3))));
        rejects("[jvp]", "tangent 0 has shape (3,)", () -> jvp(xs -> List.of(exp(xs.get(0))), List.of(m23), List.of(ones(3))));
        rejects("[grad]", "argnum 3", () -> grad((List<Array> xs) -> sum(xs.get(0)), 3).apply(List.of(m23)));
    }

    @Test
    void usingAClosedArrayIsALifecycleError() {
        Array x = exp(ones(3));
        x.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.toFloatArray());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
