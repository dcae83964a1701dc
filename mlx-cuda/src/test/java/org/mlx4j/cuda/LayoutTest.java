package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Shape;

/** Layout simplification keeps every element's offset (checked against a direct walk). */
class LayoutTest {
    static long offset(long[] shape, long[] strides, long i) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return off;
    }

    static void assertSameWalk(Shape shape, long[] strides, Layout l) {
        long[] dims = Layout.toLong(shape.dims());
        for (long i = 0; i < shape.size(); i++) {
            assertEquals(offset(dims, strides, i), offset(l.shape(), l.strides(), i), "element " + i + " of " + shape + " via " + l);
        }
    }

    @Test
    void denseCollapsesToOneAxis() {
        Shape s = Shape.of(2, 3, 4);
        Layout l = Layout.contiguous(s);
        assertArrayEquals(new long[] {24}, l.shape());
        assertArrayEquals(new long[] {1}, l.strides());
    }

    @Test
    void transposesAndBroadcastsKeepTheirOffsets() {
        Shape s = Shape.of(3, 1, 4, 5);
        long[][] cases = {{20, 7, 5, 1}, {1, 0, 15, 3}, {0, 0, 5, 1}, {5, 99, 0, 1}, {0, 0, 0, 0}};
        for (long[] st : cases) assertSameWalk(s, st, Layout.of(s, st));
        Layout bcast = Layout.of(s, new long[] {0, 0, 0, 0});
        assertEquals(1, bcast.shape().length, "a full broadcast merges into one axis of stride 0");
    }

    @Test
    void severalLayoutsMergeOnlyWhereAllAllow() {
        Shape s = Shape.of(4, 5, 6);
        long[] a = {30, 6, 1}, b = {0, 6, 1}; // b broadcasts the first axis
        Layout[] ls = Layout.of(s, a, b);
        assertEquals(2, ls[0].shape().length);
        assertSameWalk(s, a, ls[0]);
        assertSameWalk(s, b, ls[1]);
    }

    @Test
    void packMatchesTheStruct() {
        Layout l = Layout.of(Shape.of(3, 4), new long[] {1, 3});
        long[] p = l.pack();
        assertEquals(17, p.length);
        assertEquals(2, p[0]);
        assertEquals(3, p[1]);
        assertEquals(4, p[2]);
        assertEquals(1, p[3], "unused extents are 1");
        assertEquals(1, p[9]);
        assertEquals(3, p[10]);
        assertEquals(0, p[11], "unused strides are 0");
    }

    @Test
    void tooManyAxesIsAClearError() {
        int[] dims = new int[10];
        long[] st = new long[10];
        java.util.Arrays.fill(dims, 2);
        for (int i = 0; i < 10; i++) st[i] = 1L << (2 * (9 - i)) + 0; // every axis skips: nothing merges
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Layout.of(new Shape(dims), st));
        assertTrue(e.getMessage().contains("8"), e.getMessage());
    }
}
