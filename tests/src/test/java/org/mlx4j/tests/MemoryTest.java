package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.Scope;

/** Memory stays flat in training-like loops with default settings and no user-written frees. */
class MemoryTest {

    private static Array[] step(Array w1, Array b1, Array w2, Array x) {
        var vg = valueAndGrad((List<Array> p) -> {
            Array h = maximum(add(matmul(x, p.get(0)), p.get(1)), scalarLike(0, x));
            return sum(square(matmul(h, p.get(2))));
        }, 0, 1, 2).apply(List.of(w1, b1, w2));
        Array lr = scalarLike(1e-4, w1);
        Array nw1 = subtract(w1, multiply(lr, vg.grad().get(0)));
        Array nb1 = subtract(b1, multiply(lr, vg.grad().get(1)));
        Array nw2 = subtract(w2, multiply(lr, vg.grad().get(2)));
        eval(nw1, nb1, nw2, vg.value());
        return new Array[] {nw1, nb1, nw2, vg.value()};
    }

    @Test
    void tenThousandStepsKeepActiveMemoryFlat() {
        Array x = multiply(ones(32, 64), array(0.01f));
        // about 160 KB of parameters become garbage each step, so the allocator's collections (from
        // 64 MiB of garbage) run every few hundred steps
        Array w1 = multiply(ones(64, 512), array(0.01f));
        Array b1 = zeros(512);
        Array w2 = multiply(ones(512, 16), array(0.01f));
        int n = 10_000;
        long[] active = new long[n];
        for (int i = 0; i < n; i++) {
            Array[] r = step(w1, b1, w2, x);
            w1 = r[0];
            b1 = r[1];
            w2 = r[2];
            assertTrue(Float.isFinite(r[3].itemFloat()));
            active[i] = MX.activeMemory();
        }
        // active memory is a sawtooth (garbage builds up to the allocator's 64 MiB trigger, then a
        // collection); a JVM collection that happens to run early can cut the first teeth short, so
        // the reference is the highest tooth of the first half (800 MB of garbage, many cycles), and
        // a leak shows as the last 1,000 steps rising above it
        long first = 0, last = 0;
        for (int i = 0; i < n / 2; i++) first = Math.max(first, active[i]);
        for (int i = n - 1000; i < n; i++) last = Math.max(last, active[i]);
        System.out.println("active memory peak: first 5000 steps " + first + " B, last 1000 steps " + last + " B");
        assertTrue(last <= first * 1.10, "peak active memory grew from " + first + " to " + last + " bytes");
    }

    @Test
    void scopeReleasesEverythingButKeptArrays() {
        Array w = ones(256, 256);
        eval(w);
        org.mlx4j.core.memory.Allocator.global().collect(); // earlier tests' garbage must not be collected mid-test
        long before = MX.activeMemory();
        Array kept;
        try (Scope s = MX.scope()) {
            Array t = matmul(w, w);
            Array u = exp(divide(t, array(1000f)));
            eval(u);
            kept = s.keep(sum(u));
        }
        assertEquals(before + 64, MX.activeMemory(), "only the kept scalar (one 64-byte block) should remain");
        assertTrue(kept.itemFloat() > 0);
    }
}
