package org.mlx4j.core.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Index;

/**
 * NumPy-style basic indexing: integers, slices, {@code None} and {@code ...}. The string form
 * ({@code "1:3, ::2, None, ..."}) parses into {@link Index} items, so {@link #get(Array, String)} and
 * {@link #get(Array, Index...)} share one implementation. See {@link org.mlx4j.core.MX#get}.
 */
public final class Indexing {
    private Indexing() {}

    /**
     * Parses {@code "1:3, ::2, None, ..., -1"} into index items.
     *
     * @throws IllegalArgumentException with a {@code [get]} prefix when an item does not parse
     */
    public static List<Index> parse(String spec) {
        List<Index> items = new ArrayList<>();
        String s = spec.trim();
        if (s.isEmpty()) return items;
        for (String raw : s.split(",", -1)) {
            String p = raw.trim();
            try {
                if (p.equals("None") || p.equals("newaxis")) items.add(Index.newAxis());
                else if (p.equals("...")) items.add(Index.ellipsis());
                else if (p.contains(":")) {
                    String[] q = p.split(":", -1);
                    if (q.length > 3) throw new NumberFormatException();
                    items.add(Index.slice(num(q[0]), num(q[1]), q.length == 3 ? num(q[2]) : null));
                } else items.add(Index.at(Integer.parseInt(p)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("[get] cannot parse index '" + p + "' in \"" + spec + "\".");
            }
        }
        return items;
    }

    private static Integer num(String t) {
        t = t.trim();
        return t.isEmpty() ? null : Integer.valueOf(t);
    }

    /** Basic indexing of {@code x} by a NumPy index string. */
    public static Array get(Array x, String spec) { return get(x, parse(spec)); }

    /** Basic indexing of {@code x} by index items. */
    public static Array get(Array x, Index... index) { return get(x, Arrays.asList(index)); }

    /**
     * Basic indexing: one strided {@link ShapeOps#slice} view, then a reshape that drops the axes
     * indexed by integers and inserts the new ones.
     *
     * @throws IllegalArgumentException with a {@code [get]} prefix on a bad index
     */
    public static Array get(Array x, List<Index> items) {
        int ellipses = 0, consuming = 0;
        for (Index it : items) {
            if (it == null) throw new IllegalArgumentException("[get] null index item in " + items + ".");
            if (it instanceof Index.Ellipsis) ellipses++;
            else if (!(it instanceof Index.NewAxis)) consuming++;
        }
        if (ellipses > 1) throw new IllegalArgumentException("[get] an index can have only one ellipsis, got " + describe(items) + ".");
        if (consuming > x.ndim()) {
            throw new IllegalArgumentException("[get] too many indices (" + consuming + ") for an array with " + x.ndim() + " dimensions.");
        }
        List<Index> full = new ArrayList<>();
        for (Index it : items) {
            if (it instanceof Index.Ellipsis) {
                for (int i = 0; i < x.ndim() - consuming; i++) full.add(Index.all());
            } else {
                full.add(it);
            }
        }
        if (ellipses == 0) for (int i = consuming; i < x.ndim(); i++) full.add(Index.all());
        int n = x.ndim();
        int[] dims = x.shape().dims();
        int[] start = new int[n], stop = new int[n], step = new int[n];
        List<Integer> outShape = new ArrayList<>();
        int axis = 0;
        for (Index it : full) {
            switch (it) {
                case Index.NewAxis na -> outShape.add(1);
                case Index.At at -> {
                    int d = dims[axis];
                    int i = at.index() < 0 ? at.index() + d : at.index();
                    if (i < 0 || i >= d) {
                        throw new IllegalArgumentException("[get] index " + at.index() + " is out of bounds for axis " + axis + " with size " + d + ".");
                    }
                    start[axis] = i;
                    stop[axis] = i + 1;
                    step[axis] = 1;
                    axis++;
                }
                case Index.Slice si -> {
                    int d = dims[axis];
                    int st = si.step() == null ? 1 : si.step();
                    if (st == 0) throw new IllegalArgumentException("[get] slice step cannot be zero in " + describe(items) + ".");
                    int[] r = normalizeSlice(si.start(), si.stop(), st, d);
                    start[axis] = r[0];
                    stop[axis] = r[1];
                    step[axis] = st;
                    outShape.add(ShapeOps.sliceLength(r[0], r[1], st));
                    axis++;
                }
                case Index.Ellipsis e -> throw new IllegalStateException("ellipsis was expanded");
            }
        }
        Array sliced = ShapeOps.slice(x, start, stop, step);
        int[] os = new int[outShape.size()];
        for (int i = 0; i < os.length; i++) os[i] = outShape.get(i);
        return ShapeOps.reshape(sliced, os);
    }

    /** The index in Python syntax, e.g. {@code [1:3, ::2, None]}. */
    private static String describe(List<Index> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) sb.append(i > 0 ? ", " : "").append(items.get(i));
        return sb.append(']').toString();
    }

    /** Python slice normalization: returns {start, stop} clamped for a dimension of size d. */
    public static int[] normalizeSlice(Integer start, Integer stop, int step, int d) {
        int s, e;
        if (step > 0) {
            s = start == null ? 0 : clamp(start < 0 ? start + d : start, 0, d);
            e = stop == null ? d : clamp(stop < 0 ? stop + d : stop, 0, d);
        } else {
            s = start == null ? d - 1 : clamp(start < 0 ? start + d : start, -1, d - 1);
            e = stop == null ? -1 : clamp(stop < 0 ? stop + d : stop, -1, d - 1);
        }
        return new int[] {s, e};
    }

    private static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }
}
