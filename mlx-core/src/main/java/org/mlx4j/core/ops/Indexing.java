package org.mlx4j.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;

/** NumPy-style basic indexing: integers, slices, {@code None} and {@code ...}. See {@link org.mlx4j.core.MX#get}. */
public final class Indexing {
    private Indexing() {}

    /** One parsed index item. */
    sealed interface Item permits IntItem, SliceItem, NewAxis, Ellipsis {}

    record IntItem(int index) implements Item {}

    record SliceItem(Integer start, Integer stop, Integer step) implements Item {}

    record NewAxis() implements Item {}

    record Ellipsis() implements Item {}

    /** Parses {@code "1:3, ::2, None, ..., -1"}. */
    static List<Item> parse(String spec) {
        List<Item> items = new ArrayList<>();
        String s = spec.trim();
        if (s.isEmpty()) return items;
        for (String raw : s.split(",", -1)) {
            String p = raw.trim();
            try {
                if (p.equals("None") || p.equals("newaxis")) items.add(new NewAxis());
                else if (p.equals("...")) items.add(new Ellipsis());
                else if (p.contains(":")) {
                    String[] q = p.split(":", -1);
                    if (q.length > 3) throw new NumberFormatException();
                    items.add(new SliceItem(num(q[0]), num(q[1]), q.length == 3 ? num(q[2]) : null));
                } else items.add(new IntItem(Integer.parseInt(p)));
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
    public static Array get(Array x, String spec) {
        List<Item> items = parse(spec);
        int ellipses = 0, consuming = 0;
        for (Item it : items) {
            if (it instanceof Ellipsis) ellipses++;
            else if (!(it instanceof NewAxis)) consuming++;
        }
        if (ellipses > 1) throw new IllegalArgumentException("[get] an index can have only one ellipsis, got \"" + spec + "\".");
        if (consuming > x.ndim()) {
            throw new IllegalArgumentException("[get] too many indices (" + consuming + ") for an array with " + x.ndim() + " dimensions.");
        }
        List<Item> full = new ArrayList<>();
        for (Item it : items) {
            if (it instanceof Ellipsis) {
                for (int i = 0; i < x.ndim() - consuming; i++) full.add(new SliceItem(null, null, null));
            } else {
                full.add(it);
            }
        }
        if (ellipses == 0) for (int i = consuming; i < x.ndim(); i++) full.add(new SliceItem(null, null, null));
        int n = x.ndim();
        int[] dims = x.shape().dims();
        int[] start = new int[n], stop = new int[n], step = new int[n];
        List<Integer> outShape = new ArrayList<>();
        int axis = 0;
        for (Item it : full) {
            switch (it) {
                case NewAxis na -> outShape.add(1);
                case IntItem ii -> {
                    int d = dims[axis];
                    int i = ii.index() < 0 ? ii.index() + d : ii.index();
                    if (i < 0 || i >= d) {
                        throw new IllegalArgumentException("[get] index " + ii.index() + " is out of bounds for axis " + axis + " with size " + d + ".");
                    }
                    start[axis] = i;
                    stop[axis] = i + 1;
                    step[axis] = 1;
                    axis++;
                }
                case SliceItem si -> {
                    int d = dims[axis];
                    int st = si.step() == null ? 1 : si.step();
                    if (st == 0) throw new IllegalArgumentException("[get] slice step cannot be zero in \"" + spec + "\".");
                    int[] r = normalizeSlice(si.start(), si.stop(), st, d);
                    start[axis] = r[0];
                    stop[axis] = r[1];
                    step[axis] = st;
                    outShape.add(ShapeOps.sliceLength(r[0], r[1], st));
                    axis++;
                }
                case Ellipsis e -> throw new IllegalStateException();
            }
        }
        Array sliced = ShapeOps.slice(x, start, stop, step);
        int[] os = new int[outShape.size()];
        for (int i = 0; i < os.length; i++) os[i] = outShape.get(i);
        return ShapeOps.reshape(sliced, os);
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
