package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.DType.*;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/** NumPy/MLX type promotion for array-array ops, and Python-scalar-like promotion for scalars. */
class PromotionTest {
    @Test
    void promotionTableMatchesNumpy() {
        Object[][] table = {
            {BOOL, BOOL, BOOL}, {BOOL, INT8, INT8}, {BOOL, FLOAT16, FLOAT16},
            {UINT8, INT8, INT16}, {UINT8, INT16, INT16}, {UINT8, UINT32, UINT32}, {UINT32, INT32, INT64},
            {INT8, INT16, INT16}, {INT16, INT32, INT32}, {INT32, INT64, INT64},
            {INT32, FLOAT16, FLOAT16}, {INT64, FLOAT32, FLOAT32}, {UINT8, BFLOAT16, BFLOAT16},
            {FLOAT16, BFLOAT16, FLOAT32}, {FLOAT16, FLOAT32, FLOAT32}, {BFLOAT16, FLOAT64, FLOAT64}, {FLOAT32, FLOAT64, FLOAT64},
        };
        for (Object[] row : table) {
            DType a = (DType) row[0], b = (DType) row[1], c = (DType) row[2];
            assertEquals(c, DType.promote(a, b), a + " + " + b);
            assertEquals(c, DType.promote(b, a), b + " + " + a);
            Array x = MX.astype(MX.ones(2), a), y = MX.astype(MX.ones(2), b);
            assertEquals(c, MX.add(x, y).dtype());
            assertEquals(2.0, MX.add(x, y).toDoubleArray()[0], a == BOOL && b == BOOL ? 1 : 0);
        }
    }

    @Test
    void scalarsTakeTheArraysTypeLikePythonScalars() {
        Array i = MX.array(new int[] {1, 2});
        assertEquals(INT32, i.add(1).dtype());
        assertEquals(FLOAT32, i.add(0.5).dtype());
        Array h = MX.astype(MX.ones(2), FLOAT16);
        assertEquals(FLOAT16, h.multiply(3).dtype());
        assertEquals(FLOAT32, MX.divide(i, i).dtype(), "true division of integers gives float32");
        assertEquals(FLOAT32, MX.sqrt(i).dtype());
        assertEquals(FLOAT32, MX.mean(i).dtype());
        assertEquals(INT32, MX.sum(MX.astype(i, INT8)).dtype(), "small integer sums accumulate in int32");
    }
}
