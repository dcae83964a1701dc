package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.cpu.CpuRandom;
import org.mlx4j.core.backend.cpu.Elem;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.RandomBits;
import org.mlx4j.core.primitive.Shuffle;
import org.mlx4j.core.primitive.UnaryOp;

/**
 * Random numbers the MLX way ({@code mlx.core.random}): splittable Threefry-2x32 keys and
 * distributions built from random bits with public ops. See {@link org.mlx4j.core.MX}.
 *
 * <p>A key is a uint32 array of shape (2,). The same key always gives the same numbers, on every run
 * and with any number of threads; {@link #split} makes independent subkeys. Every sampling op takes
 * a key; {@code null} means the global key sequence: the global key is split, the first half kept as
 * the new global key and the second half used (thread-safe). {@link #seed} resets the sequence.
 *
 * <p>The bit stream matches MLX's and JAX's {@code random.bits} for the same key, and
 * {@link #uniform} (float32, float16, bfloat16), {@link #split}, {@link #randint} (up to int32) and
 * {@link #permutation} follow MLX's formulas on top of it. float64 is an mlx4j extension: uniform
 * float64 values use 53 random bits (two words per value) and normal float64 values are computed in
 * float64 throughout. There are no gradients with respect to keys; samples are functions of the
 * key (and of array parameters such as {@code low}, {@code loc} or {@code scale}, which are
 * differentiated like any op).
 * <pre>{@code
 * Array k = MX.key(0);
 * Array ks = MX.splitKey(k);                         // (2, 2): two independent keys as rows
 * Array w = MX.normal(new int[] {784, 128}, DType.FLOAT32, 0, 0.02, ks.get("0"));
 * Array i = MX.randint(0, 10, new int[] {32}, DType.INT32, ks.get("1"));
 * MX.seed(42);                                       // reproducible global draws
 * Array u = MX.uniform(3, 4);                        // float32 in [0, 1)
 * }</pre>
 */
public final class Random {
    private Random() {}

    private static final Object LOCK = new Object();
    private static int globalK0;
    private static int globalK1;

    static {
        long s = System.nanoTime() ^ System.currentTimeMillis() * 0x9E3779B97F4A7C15L;
        globalK0 = (int) (s >>> 32);
        globalK1 = (int) s;
    }

    // ------------------------------------------------------------------ keys

    /**
     * The key of {@code seed}: uint32 {@code [seed >>> 32, seed & 0xffffffff]}, as in MLX.
     *
     * @return a uint32 array of shape (2,)
     */
    public static Array key(long seed) { return keyOf((int) (seed >>> 32), (int) seed); }

    private static Array keyOf(int k0, int k1) {
        return Creation.fromHost(Shape.of(2), DType.UINT32, (seg, i) -> Elem.setLong(DType.UINT32, seg, i, i == 0 ? k0 : k1));
    }

    /** Resets the global key sequence to {@code key(seed)}. */
    public static void seed(long seed) {
        synchronized (LOCK) {
            globalK0 = (int) (seed >>> 32);
            globalK1 = (int) seed;
        }
    }

    /**
     * The next key of the global sequence. The split is computed on the host (it is four hashes),
     * so the global key never grows a lazy graph; it is the same split {@link #split} computes.
     */
    static Array nextKey() {
        int s0, s1;
        synchronized (LOCK) {
            // split = bits of shape (2, 2): four words, counter pairs (0, 2) and (1, 3)
            long a = CpuRandom.threefry2x32(globalK0, globalK1, 0, 2);
            long b = CpuRandom.threefry2x32(globalK0, globalK1, 1, 3);
            globalK0 = (int) a;
            globalK1 = (int) b;
            s0 = (int) (a >>> 32);
            s1 = (int) (b >>> 32);
        }
        return keyOf(s0, s1);
    }

    /** {@code key}, checked, or the next global key when it is null. Call after all other checks. */
    static Array resolveKey(String op, Array key) {
        if (key == null) return nextKey();
        if (key.dtype() != DType.UINT32 || !key.shape().equals(Shape.of(2))) {
            throw new IllegalArgumentException("[" + op + "] key must be a uint32 array of shape (2,), got " + key.dtype().mlxName()
                    + " array of shape " + key.shape() + ".");
        }
        return key;
    }

    /**
     * {@code num} new keys from {@code key} (its random bits of shape (num, 2)).
     *
     * @return uint32 of shape (num, 2); row i is key i
     * @throws IllegalArgumentException if {@code num} is negative or the key is not uint32 of shape (2,)
     */
    public static Array split(Array key, int num) {
        if (num < 0) throw new IllegalArgumentException("[split] num must be non-negative, got " + num + ".");
        Shape s = Shape.of(num, 2);
        return Array.node(s, DType.UINT32, new RandomBits(s, 4), resolveKey("split", key));
    }

    /** Two new keys from {@code key}: uint32 of shape (2, 2), MLX's {@code (key, subkey)} as rows. */
    public static Array split(Array key) { return split(key, 2); }

    // ------------------------------------------------------------------ bits

    /**
     * Random bits: {@code shape} elements of {@code width} bytes from the key's Threefry stream (the
     * same bits as MLX's {@code random.bits}).
     *
     * @param width 4 (uint32), 1 (uint8) or 2 (uint16 values, returned as int32: mlx4j has no uint16)
     * @throws IllegalArgumentException for another width, a negative dimension or a bad key
     */
    public static Array bits(int[] shape, int width, Array key) {
        Shape s = checkShape("bits", shape);
        DType t = switch (width) {
            case 4 -> DType.UINT32;
            case 2 -> DType.INT32;
            case 1 -> DType.UINT8;
            default -> throw new IllegalArgumentException("[bits] width must be 1, 2 or 4 bytes, got " + width + ".");
        };
        return Array.node(s, t, new RandomBits(s, width), resolveKey("bits", key));
    }

    private static Array bits32(Shape s, Array key) { return Array.node(s, DType.UINT32, new RandomBits(s, 4), key); }

    // ------------------------------------------------------------------ uniform

    /**
     * Uniform samples in {@code [low, high)} of {@code shape} and {@code dtype}.
     *
     * @throws IllegalArgumentException unless {@code low < high}, for a non-floating dtype, a
     *                                  negative dimension or a bad key
     */
    public static Array uniform(double low, double high, int[] shape, DType dtype, Array key) {
        if (!(low < high)) throw new IllegalArgumentException("[uniform] low must be less than high, got low = " + low + " and high = " + high + ".");
        checkFloating("uniform", dtype);
        return uniform(Creation.scalar(low, dtype), Creation.scalar(high, dtype), shape, dtype, key);
    }

    /**
     * Uniform samples between {@code low} and {@code high} (arrays broadcast to {@code shape}; not
     * checked for order, since that would need their values): {@code low + (high - low) * u} with
     * {@code u} in [0, 1) in {@code dtype}. Differentiable in low and high.
     *
     * @throws IllegalArgumentException for a non-floating dtype, bounds that do not broadcast to
     *                                  {@code shape}, a negative dimension or a bad key
     */
    public static Array uniform(Array low, Array high, int[] shape, DType dtype, Array key) {
        checkFloating("uniform", dtype);
        Shape s = checkShape("uniform", shape);
        checkBroadcastsTo("uniform", s, "low", low.shape());
        checkBroadcastsTo("uniform", s, "high", high.shape());
        Array lo = Elementwise.astype(lift(low), dtype);
        Array range = Elementwise.binary(BinaryOp.SUBTRACT, Elementwise.astype(lift(high), dtype), lo);
        Array u = unit(atLeast1d(s), dtype, resolveKey("uniform", key));
        return ShapeOps.reshape(Elementwise.binary(BinaryOp.ADD, Elementwise.binary(BinaryOp.MULTIPLY, range, u), lo), s.dims());
    }

    /** Uniform samples in [0, 1) of {@code shape} and {@code dtype}. */
    public static Array uniform(int[] shape, DType dtype, Array key) {
        checkFloating("uniform", dtype);
        Shape s = checkShape("uniform", shape);
        return ShapeOps.reshape(unit(atLeast1d(s), dtype, resolveKey("uniform", key)), s.dims());
    }

    /**
     * [0, 1) in {@code dtype} from the key's bits. float32/16/bf16 as MLX: {@code bits / 0xffffffff}
     * in float32, clamped to the largest value below one of {@code dtype}. float64: 53 bits from two
     * words per value, {@code (w0 >>> 5) * 2^-27 + (w1 >>> 6) * 2^-53}, exact.
     */
    private static Array unit(Shape s, DType dtype, Array key) {
        if (dtype == DType.FLOAT64) {
            int[] d2 = Arrays.copyOf(s.dims(), s.ndim() + 1);
            d2[s.ndim()] = 2;
            Array w = bits32(new Shape(d2), key);
            Array hi = lastIndex(w, 0, s), lo = lastIndex(w, 1, s);
            Array a = Elementwise.astype(Elementwise.binary(BinaryOp.RIGHT_SHIFT, hi, constant(5, DType.UINT32, w)), DType.FLOAT64);
            Array b = Elementwise.astype(Elementwise.binary(BinaryOp.RIGHT_SHIFT, lo, constant(6, DType.UINT32, w)), DType.FLOAT64);
            return Elementwise.binary(BinaryOp.ADD,
                    Elementwise.binary(BinaryOp.MULTIPLY, a, constant(0x1p-27, DType.FLOAT64, w)),
                    Elementwise.binary(BinaryOp.MULTIPLY, b, constant(0x1p-53, DType.FLOAT64, w)));
        }
        Array w = bits32(s, key);
        Array u = Elementwise.binary(BinaryOp.DIVIDE, w, constant(0xffffffffL, DType.FLOAT32, w));
        u = Elementwise.binary(BinaryOp.MINIMUM, u, constant(belowOne(dtype), DType.FLOAT32, w));
        return Elementwise.astype(u, dtype);
    }

    /** The largest value of {@code dtype} below one. */
    private static double belowOne(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> 1 - 0x1p-11;
            case BFLOAT16 -> 1 - 0x1p-8;
            case FLOAT32 -> Math.nextDown(1f);
            default -> Math.nextDown(1.0);
        };
    }

    /** {@code x[..., j]} of shape {@code s} (x has shape s + (2,)). */
    private static Array lastIndex(Array x, int j, Shape s) {
        int n = x.ndim();
        int[] start = new int[n], stop = x.shape().toArray(), step = new int[n];
        Arrays.fill(step, 1);
        start[n - 1] = j;
        stop[n - 1] = j + 1;
        return ShapeOps.reshape(ShapeOps.slice(x, start, stop, step), s.dims());
    }

    // ------------------------------------------------------------------ normal family

    /**
     * Normal samples with mean {@code loc} and standard deviation {@code scale}: as MLX,
     * {@code loc + scale * sqrt(2) * erfinv(u)} with {@code u} uniform in (-1, 1) (float32 for the
     * 32- and 16-bit dtypes, float64 for float64).
     *
     * @throws IllegalArgumentException for a non-floating dtype, a negative dimension or a bad key
     */
    public static Array normal(int[] shape, DType dtype, double loc, double scale, Array key) {
        checkFloating("normal", dtype);
        Shape s = checkShape("normal", shape);
        Array z = standardNormal(atLeast1d(s), dtype, resolveKey("normal", key), scale);
        return ShapeOps.reshape(loc == 0 ? z : Elementwise.binary(BinaryOp.ADD, constant(loc, dtype, z), z), s.dims());
    }

    /**
     * Normal samples with array parameters {@code loc} and {@code scale} (broadcast to
     * {@code shape}); differentiable in both (the reparameterization {@code loc + scale * z}).
     *
     * @throws IllegalArgumentException for a non-floating dtype, parameters that do not broadcast to
     *                                  {@code shape}, a negative dimension or a bad key
     */
    public static Array normal(int[] shape, DType dtype, Array loc, Array scale, Array key) {
        checkFloating("normal", dtype);
        Shape s = checkShape("normal", shape);
        checkBroadcastsTo("normal", s, "loc", loc.shape());
        checkBroadcastsTo("normal", s, "scale", scale.shape());
        Array z = standardNormal(atLeast1d(s), dtype, resolveKey("normal", key), 1);
        z = Elementwise.binary(BinaryOp.MULTIPLY, Elementwise.astype(lift(scale), dtype), z);
        return ShapeOps.reshape(Elementwise.binary(BinaryOp.ADD, Elementwise.astype(lift(loc), dtype), z), s.dims());
    }

    /** {@code scale * sqrt(2) * erfinv(u)}, u uniform in (-1, 1). */
    private static Array standardNormal(Shape s, DType dtype, Array key, double scale) {
        DType ut = dtype == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
        double low = ut == DType.FLOAT64 ? Math.nextUp(-1.0) : Math.nextUp(-1f);
        Array u = unit(s, ut, key);
        // 2u - 1 + ulp as MLX: uniform(nextafter(-1, 0), 1) with the range computed in ut
        Array lo = constant(low, ut, u);
        Array range = Elementwise.binary(BinaryOp.SUBTRACT, constant(1, ut, u), lo);
        u = Elementwise.binary(BinaryOp.ADD, Elementwise.binary(BinaryOp.MULTIPLY, range, u), lo);
        Array z = Elementwise.astype(Elementwise.unary(UnaryOp.ERFINV, u), dtype);
        Array applied = constant(Math.sqrt(2), dtype, z);
        if (scale != 1) applied = Elementwise.binary(BinaryOp.MULTIPLY, applied, constant(scale, dtype, z));
        return Elementwise.binary(BinaryOp.MULTIPLY, applied, z);
    }

    /**
     * Normal samples truncated to {@code [lower, upper]} (arrays broadcast to {@code shape}), by the
     * inverse CDF as MLX and JAX: {@code sqrt(2) * erfinv(uniform(erf(lower/sqrt 2), erf(upper/sqrt 2)))},
     * clipped to the bounds. Where {@code upper <= lower} every sample is {@code lower}.
     *
     * @throws IllegalArgumentException for a non-floating dtype, bounds that do not broadcast to
     *                                  {@code shape}, a negative dimension or a bad key
     */
    public static Array truncatedNormal(Array lower, Array upper, int[] shape, DType dtype, Array key) {
        checkFloating("truncatedNormal", dtype);
        Shape s = checkShape("truncatedNormal", shape);
        checkBroadcastsTo("truncatedNormal", s, "lower", lower.shape());
        checkBroadcastsTo("truncatedNormal", s, "upper", upper.shape());
        Array lo = Elementwise.astype(lift(lower), dtype), hi = Elementwise.astype(lift(upper), dtype);
        Array sqrt2 = constant(Math.sqrt(2), dtype, lo);
        Array a = Elementwise.unary(UnaryOp.ERF, Elementwise.binary(BinaryOp.DIVIDE, lo, sqrt2));
        Array b = Elementwise.unary(UnaryOp.ERF, Elementwise.binary(BinaryOp.DIVIDE, hi, sqrt2));
        Array u = uniform(a, b, atLeast1d(s).dims(), dtype, resolveKey("truncatedNormal", key));
        Array out = Elementwise.binary(BinaryOp.MULTIPLY, sqrt2, Elementwise.unary(UnaryOp.ERFINV, u));
        return ShapeOps.reshape(Elementwise.binary(BinaryOp.MAXIMUM, Elementwise.binary(BinaryOp.MINIMUM, hi, out), lo), s.dims());
    }

    /** {@link #truncatedNormal(Array, Array, int[], DType, Array)} with the broadcast shape of the bounds. */
    public static Array truncatedNormal(Array lower, Array upper, DType dtype, Array key) {
        Shape s = Shape.broadcast("truncatedNormal", lower.shape(), upper.shape());
        return truncatedNormal(lower, upper, s.dims(), dtype, key);
    }

    /**
     * Scalar bounds {@code lower <= upper}.
     *
     * @throws IllegalArgumentException if {@code lower > upper} or NaN
     */
    public static Array truncatedNormal(double lower, double upper, int[] shape, DType dtype, Array key) {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("[truncatedNormal] lower must not exceed upper, got lower = " + lower + " and upper = " + upper + ".");
        }
        checkFloating("truncatedNormal", dtype);
        return truncatedNormal(Creation.scalar(lower, dtype), Creation.scalar(upper, dtype), shape, dtype, key);
    }

    /**
     * Standard Gumbel samples, {@code -log(-log(u))} with u uniform in [0, 1).
     *
     * @throws IllegalArgumentException for a non-floating dtype, a negative dimension or a bad key
     */
    public static Array gumbel(int[] shape, DType dtype, Array key) {
        checkFloating("gumbel", dtype);
        Shape s = checkShape("gumbel", shape);
        Array u = unit(atLeast1d(s), dtype, resolveKey("gumbel", key));
        Array inner = Elementwise.unary(UnaryOp.NEGATIVE, Elementwise.unary(UnaryOp.LOG, u));
        return ShapeOps.reshape(Elementwise.unary(UnaryOp.NEGATIVE, Elementwise.unary(UnaryOp.LOG, inner)), s.dims());
    }

    // ------------------------------------------------------------------ discrete

    /**
     * Bernoulli samples: true with probability {@code p} (broadcast to {@code shape}). As MLX,
     * {@code bits < p * nextUp(2^32)}: {@code p >= 1} gives all true and {@code p <= 0} all false.
     *
     * @throws IllegalArgumentException if p is not floating or does not broadcast to {@code shape},
     *                                  for a negative dimension or a bad key
     */
    public static Array bernoulli(Array p, int[] shape, Array key) {
        if (!p.dtype().isFloating()) {
            throw new IllegalArgumentException("[bernoulli] p must have a floating dtype, got " + p.dtype().mlxName() + ".");
        }
        Shape s = checkShape("bernoulli", shape);
        checkBroadcastsTo("bernoulli", s, "p", p.shape());
        Array w = bits32(atLeast1d(s), resolveKey("bernoulli", key));
        Array upper = constant(Math.nextUp(0x1p32f), DType.FLOAT32, w);
        return ShapeOps.reshape(Elementwise.binary(BinaryOp.LESS, w, Elementwise.binary(BinaryOp.MULTIPLY, lift(p), upper)), s.dims());
    }

    /** Bernoulli samples of {@code p}'s shape. */
    public static Array bernoulli(Array p, Array key) { return bernoulli(p, p.shape().dims(), key); }

    /**
     * Bernoulli samples with a scalar probability (float32, as a Python float in MLX).
     *
     * @throws IllegalArgumentException if {@code p} is NaN, for a negative dimension or a bad key
     */
    public static Array bernoulli(double p, int[] shape, Array key) {
        if (Double.isNaN(p)) throw new IllegalArgumentException("[bernoulli] p must be a probability, got NaN.");
        return bernoulli(Creation.scalar(p, DType.FLOAT32), shape, key);
    }

    /**
     * Random integers in {@code [low, high)} (arrays broadcast to {@code shape}, compared as int64),
     * as current MLX: a uniform 32-bit draw reduced modulo {@code high - low} (two draws, from the
     * two halves of a split key, for int64). Where {@code high <= low} every value is {@code low}.
     * The width {@code high - low} must fit in int64.
     *
     * @param dtype an integer type or bool
     * @throws IllegalArgumentException for a floating dtype, bounds that do not broadcast to
     *                                  {@code shape}, a negative dimension or a bad key
     */
    public static Array randint(Array low, Array high, int[] shape, DType dtype, Array key) {
        if (!dtype.isIntegral()) {
            throw new IllegalArgumentException("[randint] dtype must be an integer type or bool, got " + dtype.mlxName() + ".");
        }
        Shape s = checkShape("randint", shape);
        checkBroadcastsTo("randint", s, "low", low.shape());
        checkBroadcastsTo("randint", s, "high", high.shape());
        Shape ws = atLeast1d(s);
        Array lo = Elementwise.astype(lift(low), DType.INT64), hi = Elementwise.astype(lift(high), DType.INT64);
        Array empty = Elementwise.binary(BinaryOp.LESS_EQUAL, hi, lo);
        Array range = Elementwise.where(empty, constant(1, DType.INT64, lo), Elementwise.binary(BinaryOp.SUBTRACT, hi, lo));
        Array offset;
        if (dtype == DType.INT64) {
            Array w0, w1;
            if (key == null) {
                w0 = bits32(ws, nextKey());
                w1 = bits32(ws, nextKey());
            } else {
                Array keys = split(resolveKey("randint", key));
                w0 = bits32(ws, row(keys, 0));
                w1 = bits32(ws, row(keys, 1));
            }
            offset = unsignedMod64(Elementwise.astype(w1, DType.INT64), Elementwise.astype(w0, DType.INT64), range);
        } else {
            Array w = bits32(ws, resolveKey("randint", key));
            offset = Elementwise.binary(BinaryOp.REMAINDER, Elementwise.astype(w, DType.INT64), range);
        }
        Array out = Elementwise.binary(BinaryOp.ADD, lo, offset);
        return ShapeOps.reshape(Elementwise.astype(ShapeOps.broadcastTo(out, ws.dims()), dtype), s.dims());
    }

    /**
     * Random integers in {@code [low, high)}; see {@link #randint(Array, Array, int[], DType, Array)}.
     *
     * @throws IllegalArgumentException if {@code high - low} overflows int64
     */
    public static Array randint(long low, long high, int[] shape, DType dtype, Array key) {
        if (high > low) {
            try {
                Math.subtractExact(high, low);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("[randint] high - low must fit in int64, got low = " + low + " and high = " + high + ".");
            }
        }
        return randint(Creation.scalar(low, DType.INT64), Creation.scalar(high, DType.INT64), shape, dtype, key);
    }

    /**
     * {@code (hi * 2^32 + lo) mod r} for uint32 words {@code hi, lo} (as int64) and {@code 0 < r < 2^63},
     * in int64 ops: {@code raw = 2q + bit} with {@code q = raw >>> 1}, so the result is
     * {@code 2 (q mod r) + bit} less {@code r} when that reaches {@code r} (it may wrap negative).
     */
    private static Array unsignedMod64(Array hi, Array lo, Array r) {
        Array one = constant(1, DType.INT64, hi);
        Array q = Elementwise.binary(BinaryOp.BITWISE_OR,
                Elementwise.binary(BinaryOp.LEFT_SHIFT, Elementwise.binary(BinaryOp.RIGHT_SHIFT, hi, one), constant(32, DType.INT64, hi)),
                Elementwise.binary(BinaryOp.BITWISE_OR,
                        Elementwise.binary(BinaryOp.LEFT_SHIFT, Elementwise.binary(BinaryOp.BITWISE_AND, hi, one), constant(31, DType.INT64, hi)),
                        Elementwise.binary(BinaryOp.RIGHT_SHIFT, lo, one)));
        Array m = Elementwise.binary(BinaryOp.REMAINDER, q, r);
        Array t = Elementwise.binary(BinaryOp.ADD, Elementwise.binary(BinaryOp.LEFT_SHIFT, m, one), Elementwise.binary(BinaryOp.BITWISE_AND, lo, one));
        Array over = Elementwise.binary(BinaryOp.LOGICAL_OR,
                Elementwise.binary(BinaryOp.LESS, t, constant(0, DType.INT64, t)), Elementwise.binary(BinaryOp.GREATER_EQUAL, t, r));
        return Elementwise.where(over, Elementwise.binary(BinaryOp.SUBTRACT, t, r), t);
    }

    /** Row {@code i} of a (2, 2) key pair, as a key of shape (2,). */
    private static Array row(Array keys, int i) {
        return ShapeOps.reshape(ShapeOps.slice(keys, new int[] {i, 0}, new int[] {i + 1, 2}, new int[] {1, 1}), 2);
    }

    /**
     * Samples from the categorical distribution of {@code logits} (unnormalized log-probabilities)
     * along {@code axis}, by the Gumbel-max trick: {@code argmax(logits + gumbel)}.
     *
     * @param shape the output shape; it must be a broadcast of the logits' shape without {@code axis}
     * @return uint32 indices of {@code shape}
     * @throws IllegalArgumentException for a bad axis, an empty axis, an incompatible shape or a bad key
     */
    public static Array categorical(Array logits, int axis, int[] shape, Array key) {
        int ax = categoricalAxis(logits, axis);
        Shape s = checkShape("categorical", shape);
        int[] reduced = without(logits.shape().dims(), ax);
        Shape b;
        try {
            b = Shape.broadcast("categorical", s, new Shape(reduced));
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (!s.equals(b)) {
            throw new IllegalArgumentException("[categorical] shape " + s + " is not a broadcast of the logits shape without axis "
                    + axis + ", " + new Shape(reduced) + ".");
        }
        return categoricalImpl(logits, ax, s.dims(), resolveKey("categorical", key));
    }

    /**
     * {@code numSamples} samples per distribution: the output has the logits' shape with
     * {@code axis} removed and {@code numSamples} appended.
     *
     * @throws IllegalArgumentException for a bad axis, an empty axis, a negative count or a bad key
     */
    public static Array categorical(Array logits, int axis, int numSamples, Array key) {
        int ax = categoricalAxis(logits, axis);
        if (numSamples < 0) throw new IllegalArgumentException("[categorical] numSamples must be non-negative, got " + numSamples + ".");
        Array l = ShapeOps.expandDims(logits, -1);
        int[] shape = without(l.shape().dims(), ax);
        shape[shape.length - 1] = numSamples;
        return categoricalImpl(l, ax, shape, resolveKey("categorical", key));
    }

    /** One sample per distribution: the logits' shape with {@code axis} removed. */
    public static Array categorical(Array logits, int axis, Array key) {
        int ax = categoricalAxis(logits, axis);
        return categoricalImpl(logits, ax, without(logits.shape().dims(), ax), resolveKey("categorical", key));
    }

    private static int categoricalAxis(Array logits, int axis) {
        int ax = Shape.normalizeAxis(axis, logits.ndim(), "categorical");
        if (logits.shape().dims()[ax] == 0) {
            throw new IllegalArgumentException("[categorical] axis " + axis + " of the logits (shape " + logits.shape() + ") is empty.");
        }
        return ax;
    }

    private static Array categoricalImpl(Array logits, int axis, int[] shape, Array key) {
        // the gumbel noise has the output shape with the category axis inserted where it lines up with the logits'
        int at = axis + shape.length - logits.ndim() + 1;
        int[] g = new int[shape.length + 1];
        System.arraycopy(shape, 0, g, 0, at);
        g[at] = logits.shape().dims()[axis];
        System.arraycopy(shape, at, g, at + 1, shape.length - at);
        Array noise = gumbel(g, DType.FLOAT32, key);
        return Reductions.argReduce(true, Elementwise.binary(BinaryOp.ADD, noise, logits), at, false);
    }

    private static int[] without(int[] d, int axis) {
        int[] out = new int[d.length - 1];
        for (int i = 0, k = 0; i < d.length; i++) if (i != axis) out[k++] = d[i];
        return out;
    }

    // ------------------------------------------------------------------ permutations

    /**
     * A random permutation of {@code 0 .. n-1} (uint32): the stable argsort of the key's bits of
     * shape (n,), as MLX's {@code argsort(bits((n,)))}.
     *
     * @throws IllegalArgumentException if {@code n} is negative or for a bad key
     */
    public static Array permutation(int n, Array key) {
        if (n < 0) throw new IllegalArgumentException("[permutation] n must be non-negative, got " + n + ".");
        Array k = resolveKey("permutation", key);
        return shuffle(bits32(Shape.of(n), k), Creation.arange(0, n, 1, DType.UINT32), 0, false);
    }

    /**
     * {@code x} with its slices along {@code axis} in random order, as MLX's
     * {@code take(x, permutation(x.shape[axis]), axis)}. Differentiable in {@code x}.
     *
     * @throws IllegalArgumentException for a scalar, a bad axis or a bad key
     */
    public static Array permutation(Array x, int axis, Array key) {
        if (x.ndim() == 0) throw new IllegalArgumentException("[permutation] x must have at least one dimension, got a scalar.");
        int ax = Shape.normalizeAxis(axis, x.ndim(), "permutation");
        Array k = resolveKey("permutation", key);
        return shuffle(bits32(Shape.of(x.shape().dims()[ax]), k), x, ax, false);
    }

    /**
     * The {@link Shuffle} node: {@code x} permuted along {@code axis} by the stable argsort of
     * {@code sortKeys} (uint32 of shape (n,), n the size of that axis), or by its inverse. The building
     * block of {@link #permutation} and of its derivative rules.
     *
     * @throws IllegalArgumentException when sortKeys is not uint32 of shape (x.shape[axis],)
     */
    public static Array shuffle(Array sortKeys, Array x, int axis, boolean inverse) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "permutation");
        if (sortKeys.dtype() != DType.UINT32 || !sortKeys.shape().equals(Shape.of(x.shape().dims()[ax]))) {
            throw new IllegalArgumentException("[permutation] sort keys must be uint32 of shape (" + x.shape().dims()[ax] + ",), got "
                    + sortKeys.dtype().mlxName() + " of shape " + sortKeys.shape() + ".");
        }
        Elementwise.sameDevice("permutation", sortKeys, x);
        return Array.node(x.shape(), x.dtype(), new Shuffle(ax, inverse), sortKeys, x);
    }

    // ------------------------------------------------------------------ helpers

    private static Shape checkShape(String op, int[] shape) { return Creation.checkShapeOnly(op, shape); }

    private static void checkFloating(String op, DType dtype) {
        if (!dtype.isFloating()) throw new IllegalArgumentException("[" + op + "] dtype must be a floating type, got " + dtype.mlxName() + ".");
    }

    private static void checkBroadcastsTo(String op, Shape target, String what, Shape s) {
        Shape b = null;
        try {
            b = Shape.broadcast(op, target, s);
        } catch (IllegalArgumentException e) {
            // reported below with the argument's name
        }
        if (!target.equals(b)) {
            throw new IllegalArgumentException("[" + op + "] " + what + " of shape " + s + " does not broadcast to the requested shape " + target + ".");
        }
    }

    // Elementwise kernels are run here on arrays of at least one dimension (a scalar becomes shape
    // (1,) and the result is reshaped back): the CPU loop does not take zero-dimensional operands yet.

    private static Shape atLeast1d(Shape s) { return s.ndim() == 0 ? Shape.of(1) : s; }

    private static Array lift(Array x) { return x.ndim() == 0 ? ShapeOps.reshape(x, 1) : x; }

    /** A constant of {@code dtype} and shape (1,) on {@code like}'s device. */
    private static Array constant(double v, DType dtype, Array like) {
        return ShapeOps.toDevice(Creation.array(new double[] {v}, dtype, 1), like.device());
    }
}
