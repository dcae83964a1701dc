package org.mlx4j.core;

/**
 * One item of a NumPy-style basic index, for {@link MX#get(Array, Index...)} and
 * {@link Array#get(Index...)}: an integer, a slice {@code start:stop:step}, {@code None} (a new
 * axis) or {@code ...} (as many full slices as needed).
 *
 * <pre>{@code
 * import static org.mlx4j.core.Index.*;
 * Array y = x.get(at(1), slice(null, null, 2), newAxis(), ellipsis());   // x[1, ::2, None, ...]
 * }</pre>
 *
 * <p>Indices are checked when they are applied, against the array's shape: an integer out of range
 * or a zero step throws {@link IllegalArgumentException} with a {@code [get]} prefix. The string form
 * {@link MX#get(Array, String)} parses into the same items, so both paths behave alike.
 */
public sealed interface Index permits Index.At, Index.Slice, Index.NewAxis, Index.Ellipsis {

    /**
     * A single position along one axis; the axis is removed from the result.
     *
     * @param index the position, negative counting from the end
     */
    record At(int index) implements Index {
        @Override public String toString() { return Integer.toString(index); }
    }

    /**
     * A Python slice {@code start:stop:step} along one axis; {@code null} parts take their defaults.
     *
     * @param start first position (null: the start for the step's direction)
     * @param stop  exclusive end (null: past the end for the step's direction)
     * @param step  stride, nonzero (null: 1)
     */
    record Slice(Integer start, Integer stop, Integer step) implements Index {
        @Override public String toString() {
            return (start == null ? "" : start.toString()) + ":" + (stop == null ? "" : stop.toString())
                    + (step == null ? "" : ":" + step);
        }
    }

    /** A new axis of size one ({@code None} in NumPy). */
    record NewAxis() implements Index {
        @Override public String toString() { return "None"; }
    }

    /** As many full slices as the other items leave axes ({@code ...} in NumPy); at most one per index. */
    record Ellipsis() implements Index {
        @Override public String toString() { return "..."; }
    }

    /** The position {@code i} (negative counts from the end), e.g. {@code at(-1)} is {@code x[-1]}. */
    static Index at(int i) { return new At(i); }

    /** The slice {@code start:stop:step}; any part may be {@code null} for its default. */
    static Index slice(Integer start, Integer stop, Integer step) { return new Slice(start, stop, step); }

    /** The slice {@code start:stop} with step 1; either bound may be {@code null}. */
    static Index slice(Integer start, Integer stop) { return new Slice(start, stop, null); }

    /** The full slice {@code :}. */
    static Index all() { return new Slice(null, null, null); }

    /** A new axis of size one ({@code None}). */
    static Index newAxis() { return new NewAxis(); }

    /** The ellipsis {@code ...}. */
    static Index ellipsis() { return new Ellipsis(); }
}
