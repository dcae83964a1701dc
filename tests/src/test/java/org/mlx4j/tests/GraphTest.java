package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/** The lazy graph: building computes nothing, evaluation detaches, deep graphs do not overflow. */
class GraphTest {
    @Test
    void buildingOpsComputesNothing() {
        Array x = ones(512, 512);
        eval(x);
        long before = MX.activeMemory();
        Array y = exp(matmul(x, x));
        Array z = sum(multiply(y, y));
        assertFalse(y.isEvaluated());
        assertFalse(z.isEvaluated());
        assertEquals(before, MX.activeMemory(), "no buffer may be allocated before eval");
        eval(z);
        assertTrue(z.isEvaluated());
    }

    @Test
    void evaluatedGraphsDropTheirInputsAndIntermediatesReleaseMemory() {
        Array x = ones(256, 256);
        Array two = array(2f);
        eval(x, two);
        long before = MX.activeMemory();
        Array a = multiply(x, two);
        Array b = exp(a);
        Array c = add(b, x);
        eval(c);
        assertTrue(c.inputs().isEmpty(), "an evaluated target keeps no recipe");
        assertFalse(b.isEvaluated(), "an intermediate nobody asked for gives back its memory");
        assertEquals(before + 256 * 256 * 4, MX.activeMemory(), "only the result's buffer remains");
        // an intermediate the program still holds can be evaluated again from its recipe
        assertEquals((float) Math.exp(2), b.toFloatArray()[7], 1e-5f);
    }

    @Test
    void hundredThousandOpChainEvaluatesAndDifferentiates() {
        int n = 100_000;
        Array one = array(1e-5f);
        var vg = valueAndGrad((Array x) -> {
            Array y = x;
            for (int i = 0; i < n; i++) y = add(y, multiply(y, one));
            return sum(y);
        }).apply(array(new float[] {1f}));
        double expect = Math.pow(1 + 1e-5, n);
        assertEquals(expect, vg.value().item(), 1e-3 * expect);
        assertEquals(expect, vg.grad().item(), 1e-3 * expect);
    }

    @Test
    void customVjpReplacesTheBackwardPass() {
        var f = customVjp(xs -> List.of(sin(xs.get(0))), (xs, cots, outs) -> List.of(multiply(cots.get(0), array(10f))));
        Array g = grad((List<Array> p) -> sum(f.apply(p).get(0)), 0).apply(List.of(array(new float[] {0.3f, 0.5f}))).get(0);
        assertArrayEquals(new float[] {10, 10}, g.toFloatArray(), 1e-6f);
        assertEquals(Math.sin(0.3), f.apply(List.of(array(new float[] {0.3f}))).get(0).item(), 1e-6);
    }

    @Test
    void checkpointGivesTheSameGradient() {
        Array x = array(new double[] {0.1, -0.7, 1.3});
        java.util.function.Function<List<Array>, List<Array>> block = xs -> List.of(tanh(multiply(exp(xs.get(0)), xs.get(0))));
        var ck = checkpoint(block);
        Array g1 = grad((List<Array> p) -> sum(block.apply(p).get(0)), 0).apply(List.of(x)).get(0);
        Array g2 = grad((List<Array> p) -> sum(ck.apply(p).get(0)), 0).apply(List.of(x)).get(0);
        assertArrayEquals(g1.toDoubleArray(), g2.toDoubleArray(), 1e-12);
    }

    @Test
    void prodGradientIsExactAtZeros() {
        Array x = array(new double[] {2, 0, 3, 0, 5, 4}, 2, 3);
        // d/dx_i prod(row) = product of the other elements of the row
        Array g = grad((Array v) -> sum(prod(v, 1))).apply(x);
        assertArrayEquals(new double[] {0, 6, 0, 20, 0, 0}, g.toDoubleArray(), 0);
        Array h = grad((Array v) -> sum(prod(v))).apply(array(new double[] {2, 0, 3}));
        assertArrayEquals(new double[] {0, 6, 0}, h.toDoubleArray(), 0);
        var r = jvp(xs -> List.of(prod(xs.get(0), 1)), List.of(x), List.of(onesLike(x)));
        assertArrayEquals(new double[] {6, 20}, r.tangents().get(0).toDoubleArray(), 0);
    }

    @Test
    void gradOfGradAndJvpCompose() {
        Array x = array(new double[] {0.5, 2.0});
        // d2/dx2 of x^3 = 6x
        Array h = grad((Array v) -> sum(grad((Array u) -> sum(multiply(u, multiply(u, u)))).apply(v))).apply(x);
        assertArrayEquals(new double[] {3, 12}, h.toDoubleArray(), 1e-12);
        var r = jvp(xs -> List.of(exp(xs.get(0))), List.of(x), List.of(ones(new int[] {2}, org.mlx4j.core.DType.FLOAT64)));
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(2)}, r.tangents().get(0).toDoubleArray(), 1e-12);
    }
}
