package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeFamilyTest {

    private static Array m23() { return arange(6).reshape(2, 3); }   // [[0,1,2],[3,4,5]]

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    private static void assertStarts(String prefix, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    // ------------------------------------------------------------------ concatenate / stack

    @Test
    void concatenateValues() {
        Array a = m23(), b = array(new int[] {6, 7, 8}, 1, 3);
        Array c = concatenate(new Array[] {a, b}, 0);
        assertEquals(Shape.of(3, 3), c.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, c.toIntArray());
        Array d = concatenate(List.of(a, array(new int[] {9, 10}, 2, 1)), -1);
        assertEquals(Shape.of(2, 4), d.shape());
        assertArrayEquals(new int[] {0, 1, 2, 9, 3, 4, 5, 10}, d.toIntArray());
        Array e = concatenate(array(new float[] {1}), array(new float[] {2, 3}));
        assertArrayEquals(new float[] {1, 2, 3}, e.toFloatArray());
    }

    @Test
    void concatenatePromotesAndTakesStridedInputs() {
        Array a = m23().T();                               // (3, 2) transposed view: [[0,3],[1,4],[2,5]]
        Array b = broadcastTo(array(new float[] {0.5f, 1.5f}), 2, 2);   // stride-0 rows
        Array c = concatenate(new Array[] {a, b}, 0);
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 0.5f, 1.5f, 0.5f, 1.5f}, c.toFloatArray());
        Array f = flip(m23(), 1);                          // negative strides
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 5, 4, 3, 3, 4, 5}, concatenate(new Array[] {f, m23()}, 1).toIntArray());
    }

    @Test
    void concatenateEdgeCases() {
        Array empty = zeros(new int[] {0, 3}, DType.INT32);
        assertArrayEquals(m23().toIntArray(), concatenate(new Array[] {empty, m23(), empty}, 0).toIntArray());
        assertEquals(Shape.of(0, 3), concatenate(new Array[] {empty, empty}, 0).shape());
        Array single = concatenate(new Array[] {m23()}, 1);
        assertArrayEquals(m23().toIntArray(), single.toIntArray());
        Array bools = concatenate(array(new boolean[] {true}), array(new boolean[] {false, true}));
        assertArrayEquals(new boolean[] {true, false, true}, bools.toBooleanArray());
        Array halves = concatenate(array(new double[] {1.5}, DType.FLOAT16, 1), array(new double[] {-2}, DType.BFLOAT16, 1));
        assertEquals(DType.FLOAT32, halves.dtype());
        assertArrayEquals(new float[] {1.5f, -2f}, halves.toFloatArray());
    }

    @Test
    void concatenateErrors() {
        assertMessage("[concatenate] needs at least one array.", () -> concatenate(new Array[0], 0));
        assertMessage("[concatenate] zero-dimensional arrays cannot be concatenated.", () -> concatenate(array(1), array(2)));
        assertMessage("[concatenate] all arrays must have the same number of dimensions, got shapes (2, 3) and (3,).",
                () -> concatenate(new Array[] {m23(), arange(3)}, 0));
        assertMessage("[concatenate] all arrays must have the same shape except along axis 0, got shapes (2, 3) and (2, 2).",
                () -> concatenate(new Array[] {m23(), zeros(2, 2)}, 0));
        assertMessage("[concatenate] axis 2 is out of range for an array with 2 dimensions.", () -> concatenate(new Array[] {m23(), m23()}, 2));
    }

    @Test
    void stackValues() {
        Array a = arange(3), b = arange(3, 6, 1);
        Array s0 = stack(a, b);
        assertEquals(Shape.of(2, 3), s0.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, s0.toIntArray());
        Array s1 = stack(new Array[] {a, b}, -1);
        assertEquals(Shape.of(3, 2), s1.shape());
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, s1.toIntArray());
        Array scalars = stack(List.of(array(1), array(2)), 0);
        assertArrayEquals(new float[] {1, 2}, scalars.toFloatArray());
        assertEquals(Shape.of(1, 3), stack(a).shape());
        assertMessage("[stack] all arrays must have the same shape, got (3,) and (2,).", () -> stack(a, arange(2)));
        assertMessage("[stack] axis 3 is out of range for an array with 2 dimensions.", () -> stack(new Array[] {a, b}, 3));
        assertMessage("[stack] needs at least one array.", () -> stack(new Array[0], 0));
    }

    // ------------------------------------------------------------------ split

    @Test
    void splitSectionsAndIndices() {
        Array x = arange(12).reshape(2, 6);
        Array[] p = split(x, 3, 1);
        assertEquals(3, p.length);
        assertArrayEquals(new int[] {0, 1, 6, 7}, p[0].toIntArray());
        assertArrayEquals(new int[] {4, 5, 10, 11}, p[2].toIntArray());
        Array[] q = split(arange(5), new int[] {1, 3}, 0);
        assertArrayEquals(new int[] {0}, q[0].toIntArray());
        assertArrayEquals(new int[] {1, 2}, q[1].toIntArray());
        assertArrayEquals(new int[] {3, 4}, q[2].toIntArray());
        // NumPy: np.split(np.arange(5), [3, 1]) -> [0 1 2], [], [1 2 3 4]; negative and past-the-end bounds like slices
        Array[] r = split(arange(5), new int[] {3, 1}, -1);
        assertArrayEquals(new int[] {0, 1, 2}, r[0].toIntArray());
        assertEquals(0, r[1].size());
        assertArrayEquals(new int[] {1, 2, 3, 4}, r[2].toIntArray());
        Array[] s = split(arange(5), new int[] {-2, 9}, 0);
        assertArrayEquals(new int[] {0, 1, 2}, s[0].toIntArray());
        assertArrayEquals(new int[] {3, 4}, s[1].toIntArray());
        assertEquals(0, s[2].size());
        Array[] e = split(zeros(0, 2), 2, 0);
        assertEquals(Shape.of(0, 2), e[1].shape());
        assertMessage("[split] cannot split axis 0 of size 5 into 2 equal sections.", () -> split(arange(5), 2, 0));
        assertMessage("[split] cannot split axis 0 of size 5 into 0 equal sections.", () -> split(arange(5), 0, 0));
        assertMessage("[split] axis 1 is out of range for an array with 1 dimensions.", () -> split(arange(4), 2, 1));
    }

    // ------------------------------------------------------------------ repeat / tile

    @Test
    void repeatValues() {
        Array x = m23();
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, repeat(x, 2).toIntArray());
        Array r0 = repeat(x, 2, 0);
        assertEquals(Shape.of(4, 3), r0.shape());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, r0.toIntArray());
        Array r1 = repeat(x.T(), 3, -1);
        assertEquals(Shape.of(3, 6), r1.shape());
        assertArrayEquals(new int[] {0, 0, 0, 3, 3, 3, 1, 1, 1, 4, 4, 4, 2, 2, 2, 5, 5, 5}, r1.toIntArray());
        assertEquals(Shape.of(2, 0), repeat(x, 0, 1).shape());
        assertArrayEquals(new float[] {7, 7, 7}, repeat(array(7), 3).toFloatArray());
        assertMessage("[repeat] repeats must be non-negative, got -1.", () -> repeat(x, -1, 0));
        assertMessage("[repeat] axis 2 is out of range for an array with 2 dimensions.", () -> repeat(x, 2, 2));
    }

    @Test
    void tileValues() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, tile(arange(3), 2).toIntArray());
        Array t = tile(array(new int[] {1, 2, 3, 4}, 2, 2), 2, 1);
        assertEquals(Shape.of(4, 2), t.shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 1, 2, 3, 4}, t.toIntArray());
        Array u = tile(arange(2), 2, 2);                    // reps longer than ndim: x gains an axis
        assertEquals(Shape.of(2, 4), u.shape());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1}, u.toIntArray());
        Array v = tile(m23(), 2);                           // reps shorter: applies to the last axis
        assertEquals(Shape.of(2, 6), v.shape());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, v.toIntArray());
        Array w = tile(m23().T(), 1, 2);
        assertArrayEquals(new int[] {0, 3, 0, 3, 1, 4, 1, 4, 2, 5, 2, 5}, w.toIntArray());
        assertEquals(Shape.of(0, 3), tile(m23(), 0, 1).shape());
        assertEquals(Shape.of(3), tile(array(5), 3).shape());
        assertMessage("[tile] reps must be non-negative, got [2, -1].", () -> tile(m23(), 2, -1));
    }

    // ------------------------------------------------------------------ pad

    @Test
    void padConstant() {
        Array x = array(new int[] {1, 2, 3, 4}, 2, 2);
        Array p = pad(x, new int[][] {{1, 0}, {0, 2}}, "constant", 9);
        assertEquals(Shape.of(3, 4), p.shape());
        assertArrayEquals(new int[] {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9}, p.toIntArray());
        Array q = pad(array(new float[] {1, 2}), 1);
        assertArrayEquals(new float[] {0, 1, 2, 0}, q.toFloatArray());
        Array r = pad(x.T(), new int[][] {{1}});           // one row for every axis, one value for both sides
        assertEquals(Shape.of(4, 4), r.shape());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 3, 0, 0, 2, 4, 0, 0, 0, 0, 0}, r.toIntArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, pad(zeros(0), new int[][] {{1, 1}}, "constant", 2.5).toFloatArray());
        assertSame(x, pad(x, 0));
    }

    @Test
    void padEdgeAndReflect() {
        Array x = array(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Array e = pad(x, new int[][] {{1, 0}, {2, 1}}, "edge");
        assertEquals(Shape.of(3, 6), e.shape());
        assertArrayEquals(new int[] {1, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6}, e.toIntArray());
        // np.pad([1, 2, 3, 4], (2, 3), 'reflect') -> [3 2 1 2 3 4 3 2 1]
        assertArrayEquals(new int[] {3, 2, 1, 2, 3, 4, 3, 2, 1}, pad(array(new int[] {1, 2, 3, 4}), new int[][] {{2, 3}}, "reflect").toIntArray());
        Array r = pad(x, new int[][] {{1, 1}, {1, 2}}, "reflect");
        assertEquals(Shape.of(4, 6), r.shape());
        assertArrayEquals(new int[] {5, 4, 5, 6, 5, 4, 2, 1, 2, 3, 2, 1, 5, 4, 5, 6, 5, 4, 2, 1, 2, 3, 2, 1}, r.toIntArray());
        Array s = pad(x.T(), new int[][] {{0, 1}, {0, 0}}, "edge");
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6, 3, 6}, s.toIntArray());
    }

    @Test
    void padErrors() {
        Array x = m23();
        assertMessage("[pad] pad widths must be non-negative, got [-1, 0].", () -> pad(x, new int[][] {{-1, 0}}));
        assertMessage("[pad] needs 1 or 2 rows of pad widths for an array with 2 dimensions, got 3.", () -> pad(x, new int[][] {{1}, {1}, {1}}));
        assertMessage("[pad] each row of pad widths needs 1 or 2 values, got [1, 2, 3].", () -> pad(x, new int[][] {{1, 2, 3}}));
        assertMessage("[pad] mode must be \"constant\", \"edge\" or \"reflect\", got \"wrap\".", () -> pad(x, new int[][] {{1}}, "wrap"));
        assertMessage("[pad] reflect padding of [2, 0] needs axis 0 to have more elements than either width, got size 2.",
                () -> pad(x, new int[][] {{2, 0}, {0, 0}}, "reflect"));
        assertMessage("[pad] edge padding needs axis 0 to be non-empty, got shape (0,).", () -> pad(zeros(0), new int[][] {{1}}, "edge"));
    }

    // ------------------------------------------------------------------ flip / roll

    @Test
    void flipValues() {
        Array x = m23();
        assertArrayEquals(new int[] {5, 4, 3, 2, 1, 0}, flip(x).toIntArray());
        assertArrayEquals(new int[] {3, 4, 5, 0, 1, 2}, flip(x, 0).toIntArray());
        assertArrayEquals(new int[] {2, 1, 0, 5, 4, 3}, flip(x, -1).toIntArray());
        assertArrayEquals(new int[] {3, 0, 4, 1, 5, 2}, flip(x.T(), 1).toIntArray());
        assertEquals(0, flip(zeros(0)).size());
        assertEquals(3f, flip(array(3)).itemFloat());
        assertMessage("[flip] repeated axis in [0, -2].", () -> flip(x, 0, -2));
        assertMessage("[flip] axis 2 is out of range for an array with 2 dimensions.", () -> flip(x, 2));
    }

    @Test
    void rollValues() {
        Array x = m23();
        assertArrayEquals(new int[] {4, 5, 0, 1, 2, 3}, roll(x, 2).toIntArray());
        assertEquals(Shape.of(2, 3), roll(x, 2).shape());
        assertArrayEquals(new int[] {2, 0, 1, 5, 3, 4}, roll(x, 1, 1).toIntArray());
        assertArrayEquals(new int[] {1, 2, 0, 4, 5, 3}, roll(x, -1, -1).toIntArray());
        assertArrayEquals(new int[] {5, 3, 4, 2, 0, 1}, roll(x, 7, 0, 1).toIntArray());
        assertArrayEquals(x.toIntArray(), roll(x, 3, 1).toIntArray());
        assertArrayEquals(new int[] {2, 5, 0, 3, 1, 4}, roll(x.T(), 1, 0).toIntArray());
        assertEquals(0, roll(zeros(0, 2), 1, 0).size());
        assertEquals(4f, roll(array(4), 3).itemFloat());
        assertMessage("[roll] axis 2 is out of range for an array with 2 dimensions.", () -> roll(x, 1, 2));
    }

    // ------------------------------------------------------------------ triangles and diagonals

    @Test
    void trilTriu() {
        Array x = add(arange(9).reshape(3, 3), scalar(1, DType.INT32));   // 1..9
        assertArrayEquals(new int[] {1, 0, 0, 4, 5, 0, 7, 8, 9}, tril(x).toIntArray());
        assertArrayEquals(new int[] {1, 2, 0, 4, 5, 6, 7, 8, 9}, tril(x, 1).toIntArray());
        assertArrayEquals(new int[] {0, 0, 0, 4, 0, 0, 7, 8, 0}, tril(x, -1).toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, 0, 5, 6, 0, 0, 9}, triu(x).toIntArray());
        assertArrayEquals(new int[] {0, 2, 3, 0, 0, 6, 0, 0, 0}, triu(x, 1).toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 0, 8, 9}, triu(x, -1).toIntArray());
        Array b = tril(broadcastTo(array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 2, 2, 3));
        assertArrayEquals(new float[] {1, 0, 0, 4, 5, 0, 1, 0, 0, 4, 5, 0}, b.toFloatArray());
        assertEquals(DType.FLOAT32, b.dtype());
        assertMessage("[tril] needs at least 2 dimensions, got shape (3,).", () -> tril(arange(3)));
        assertMessage("[triu] needs at least 2 dimensions, got shape ().", () -> triu(array(1), 0));
    }

    @Test
    void diagonalViews() {
        Array x = arange(12).reshape(3, 4);
        assertArrayEquals(new int[] {0, 5, 10}, diagonal(x).toIntArray());
        assertArrayEquals(new int[] {1, 6, 11}, diagonal(x, 1, 0, 1).toIntArray());
        assertArrayEquals(new int[] {3}, diagonal(x, 3, 0, 1).toIntArray());
        assertEquals(0, diagonal(x, 4, 0, 1).size());
        assertArrayEquals(new int[] {4, 9}, diagonal(x, -1, 0, 1).toIntArray());
        assertEquals(0, diagonal(x, -5, 0, 1).size());
        assertArrayEquals(new int[] {0, 5, 10}, diagonal(x, 0, 1, 0).toIntArray());
        assertArrayEquals(new int[] {4, 9}, diagonal(x, 1, 1, 0).toIntArray());   // offset counts along axis2 (here axis 0)
        assertArrayEquals(new int[] {0, 5, 10}, diagonal(x.T(), 0, 0, 1).toIntArray());
        Array y = arange(24).reshape(2, 3, 4);
        Array d = diagonal(y, 0, 1, 2);                     // NumPy: [[0, 5, 10], [12, 17, 22]]
        assertEquals(Shape.of(2, 3), d.shape());
        assertArrayEquals(new int[] {0, 5, 10, 12, 17, 22}, d.toIntArray());
        Array e = diagonal(y, 1, 0, 2);                     // NumPy: shape (3, 2): [[1, 14], [5, 18], [9, 22]]
        assertEquals(Shape.of(3, 2), e.shape());
        assertArrayEquals(new int[] {1, 14, 5, 18, 9, 22}, e.toIntArray());
        Array f = diagonal(y, 0, -1, 0);                    // NumPy: shape (3, 2): [[0, 13], [4, 17], [8, 21]]
        assertArrayEquals(new int[] {0, 13, 4, 17, 8, 21}, f.toIntArray());
        assertMessage("[diagonal] needs at least 2 dimensions, got shape (3,).", () -> diagonal(arange(3)));
        assertMessage("[diagonal] axis1 and axis2 must differ, got 1 and -1.", () -> diagonal(x, 0, 1, -1));
        assertMessage("[diagonal] axis 2 is out of range for an array with 2 dimensions.", () -> diagonal(x, 0, 0, 2));
    }

    @Test
    void diagBothWays() {
        Array v = array(new float[] {1, 2, 3});
        assertArrayEquals(new float[] {1, 0, 0, 0, 2, 0, 0, 0, 3}, diag(v).toFloatArray());
        Array up = diag(v, 1);
        assertEquals(Shape.of(4, 4), up.shape());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0}, up.toFloatArray());
        Array down = diag(array(new int[] {7, 8}), -2);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 8, 0, 0}, down.toIntArray());
        assertEquals(Shape.of(2, 2), diag(zeros(0), 2).shape());
        assertArrayEquals(new int[] {1, 6, 11}, diag(arange(12).reshape(3, 4), 1).toIntArray());
        assertMessage("[diag] needs a 1-D or 2-D array, got shape (2, 2, 2).", () -> diag(zeros(2, 2, 2)));
    }

    // ------------------------------------------------------------------ gradients (float64)

    @Test
    void gradConcatenateStackSplit() {
        Array b = ShapeGradCheck.randomArray(2, 1, 3);
        ShapeGradCheck.check("concatenate", x -> concatenate(new Array[] {x, multiply(b, x.get("1:2")), x.T().get("::-1").T()}, 0),
                ShapeGradCheck.randomArray(1, 3, 3).get("0:2"));
        ShapeGradCheck.check("concatenate axis 1", x -> concatenate(new Array[] {square(x), x}, -1), ShapeGradCheck.randomArray(3, 2, 3));
        ShapeGradCheck.check("stack", x -> stack(new Array[] {x, sin(x)}, 1), ShapeGradCheck.randomArray(4, 2, 3));
        ShapeGradCheck.check("split", x -> {
            Array[] p = split(x, new int[] {1, 3}, 1);
            return concatenate(new Array[] {multiply(p[2], p[0]), p[1]}, 1);
        }, ShapeGradCheck.randomArray(5, 2, 4));
    }

    @Test
    void gradPad() {
        Array x = ShapeGradCheck.randomArray(6, 3, 4);
        ShapeGradCheck.check("pad constant", v -> square(pad(v, new int[][] {{1, 2}, {0, 1}}, "constant", 0.5)), x);
        ShapeGradCheck.check("pad edge", v -> square(pad(v, new int[][] {{2, 1}, {1, 3}}, "edge")), x);
        ShapeGradCheck.check("pad reflect", v -> square(pad(v, new int[][] {{2, 1}, {3, 2}}, "reflect")), x);
    }

    @Test
    void gradTileRepeatFlipRoll() {
        Array x = ShapeGradCheck.randomArray(8, 2, 3);
        ShapeGradCheck.check("tile", v -> square(tile(v, 2, 1, 2)), x);
        ShapeGradCheck.check("repeat axis", v -> square(repeat(v, 3, 1)), x);
        ShapeGradCheck.check("repeat flat", v -> square(repeat(v, 2)), x);
        ShapeGradCheck.check("flip", v -> multiply(flip(v, 0), v), x);
        ShapeGradCheck.check("roll", v -> multiply(roll(v, 2, 1), v), x);
        ShapeGradCheck.check("roll flat", v -> multiply(roll(v, -1), v), x);
    }

    @Test
    void gradDiagonalTriangles() {
        ShapeGradCheck.check("diagonal", v -> square(diagonal(v, 1, 0, 1)), ShapeGradCheck.randomArray(9, 3, 4));
        ShapeGradCheck.check("diagonal 3-D", v -> square(diagonal(v, -1, 2, 0)), ShapeGradCheck.randomArray(10, 3, 2, 4));
        ShapeGradCheck.check("diag vector", v -> square(diag(v, -1)), ShapeGradCheck.randomArray(11, 3));
        ShapeGradCheck.check("tril", v -> square(tril(v, 1)), ShapeGradCheck.randomArray(12, 3, 3));
        ShapeGradCheck.check("triu", v -> square(triu(v)), ShapeGradCheck.randomArray(13, 2, 3));
    }
}
