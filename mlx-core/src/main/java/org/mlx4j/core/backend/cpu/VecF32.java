package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;

/**
 * Vector API loops over float32 rows. Loaded only when {@link Simd#ENABLED}; each loop takes its
 * lane op as a lambda that the JIT inlines at the (constant) call site.
 */
final class VecF32 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();

    private VecF32() {}

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);


    // One loop per op, written out, so each vector op is a compile-time constant at its call site:
    // the Vector API intrinsifies only constant operations, and a shared loop taking the op as a
    // lambda would see many lambdas and fall back to boxed, scalar-speed vectors.

    /** Runs unary {@code op} over a dense row; false when the op has no vector loop. */
    static boolean unaryOp(UnaryOp op, MemorySegment x, long xo, MemorySegment o, long oo, int len) {
        switch (op) {
            case ABS -> abs(x, xo, o, oo, len);
            case NEGATIVE -> negative(x, xo, o, oo, len);
            case SQUARE -> square(x, xo, o, oo, len);
            case SQRT -> sqrt(x, xo, o, oo, len);
            case RSQRT -> rsqrt(x, xo, o, oo, len);
            case RECIPROCAL -> reciprocal(x, xo, o, oo, len);
            case EXP -> exp(x, xo, o, oo, len);
            case EXPM1 -> expm1(x, xo, o, oo, len);
            case LOG -> log(x, xo, o, oo, len);
            case LOG1P -> log1p(x, xo, o, oo, len);
            case LOG10 -> log10(x, xo, o, oo, len);
            case SIN -> sin(x, xo, o, oo, len);
            case COS -> cos(x, xo, o, oo, len);
            case TAN -> tan(x, xo, o, oo, len);
            case TANH -> tanh(x, xo, o, oo, len);
            case SINH -> sinh(x, xo, o, oo, len);
            case COSH -> cosh(x, xo, o, oo, len);
            case ARCTAN -> arctan(x, xo, o, oo, len);
            case SIGMOID -> sigmoid(x, xo, o, oo, len);
            case ERF -> erf(x, xo, o, oo, len);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Runs binary {@code op} over a row whose input strides are 0 or 1; false when the op has no vector loop. */
    static boolean binaryOp(BinaryOp op, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs,
                            MemorySegment o, long oo, int len) {
        switch (op) {
            case ADD -> add(a, ao, as, b, bo, bs, o, oo, len);
            case SUBTRACT -> subtract(a, ao, as, b, bo, bs, o, oo, len);
            case MULTIPLY -> multiply(a, ao, as, b, bo, bs, o, oo, len);
            case DIVIDE -> divide(a, ao, as, b, bo, bs, o, oo, len);
            case MAXIMUM -> maximum(a, ao, as, b, bo, bs, o, oo, len);
            case MINIMUM -> minimum(a, ao, as, b, bo, bs, o, oo, len);
            case POWER -> power(a, ao, as, b, bo, bs, o, oo, len);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void abs(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.abs().intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, Math.abs(x));
        }
    }

    private static void negative(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.neg().intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, -x);
        }
    }

    private static void square(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.mul(x).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, x * x);
        }
    }

    private static void sqrt(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.sqrt().intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.sqrt(x));
        }
    }

    private static void rsqrt(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            ONE.div(x.sqrt()).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) (1 / Math.sqrt(x)));
        }
    }

    private static void reciprocal(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            ONE.div(x).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, 1 / x);
        }
    }

    private static void exp(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.EXP).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.exp(x));
        }
    }

    private static void expm1(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.EXPM1).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.expm1(x));
        }
    }

    private static void log(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.LOG).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.log(x));
        }
    }

    private static void log1p(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.LOG1P).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.log1p(x));
        }
    }

    private static void log10(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.LOG10).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.log10(x));
        }
    }

    private static void sin(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.SIN).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.sin(x));
        }
    }

    private static void cos(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.COS).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.cos(x));
        }
    }

    private static void tan(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.TAN).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.tan(x));
        }
    }

    private static void tanh(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.TANH).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.tanh(x));
        }
    }

    private static void sinh(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.SINH).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.sinh(x));
        }
    }

    private static void cosh(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.COSH).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.cosh(x));
        }
    }

    private static void arctan(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            x.lanewise(VectorOperators.ATAN).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) Math.atan(x));
        }
    }

    private static void sigmoid(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            ONE.div(ONE.add(x.neg().lanewise(VectorOperators.EXP))).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) {
            float x = in.getAtIndex(Elem.F32, xo + i);
            out.setAtIndex(Elem.F32, o + i, (float) (1 / (1 + Math.exp(-x))));
        }
    }

    private static void add(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.add(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.add(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.add(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, x + y);
        }
    }

    private static void subtract(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.sub(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.sub(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.sub(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, x - y);
        }
    }

    private static void multiply(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.mul(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.mul(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.mul(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, x * y);
        }
    }

    private static void divide(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.div(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.div(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.div(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, x / y);
        }
    }

    private static void maximum(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.max(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.max(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.max(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y));
        }
    }

    private static void minimum(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.min(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.min(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.min(y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.min(x, y));
        }
    }

    private static void power(MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment out, long o, int len) {
        int i = 0;
        int ub = S.loopBound(len);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO), y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.lanewise(VectorOperators.POW, y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 0 && bs == 1) {
            FloatVector x = FloatVector.broadcast(S, a.getAtIndex(Elem.F32, ao));
            for (; i < ub; i += L) {
                FloatVector y = FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO);
                x.lanewise(VectorOperators.POW, y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        } else if (as == 1 && bs == 0) {
            FloatVector y = FloatVector.broadcast(S, b.getAtIndex(Elem.F32, bo));
            for (; i < ub; i += L) {
                FloatVector x = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO);
                x.lanewise(VectorOperators.POW, y).intoMemorySegment(out, (o + i) * 4, NO);
            }
        }
        for (; i < len; i++) {
            float x = a.getAtIndex(Elem.F32, ao + i * as), y = b.getAtIndex(Elem.F32, bo + i * bs);
            out.setAtIndex(Elem.F32, o + i, (float) Math.pow(x, y));
        }
    }

    /**
     * erf to float32 accuracy, the vector form of {@link ScalarMath#erfF32}: a short series below
     * 0.5 and the Chebyshev fit of erfc above, both computed and blended per lane.
     */
    private static void erf(MemorySegment in, long xo, MemorySegment out, long o, int len) {
        final float c = (float) (2 / Math.sqrt(Math.PI));
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(S, in, (xo + i) * 4, NO);
            FloatVector ax = x.abs();
            FloatVector x2 = x.mul(x);
            FloatVector series = x2.mul(-1f / 1320).add(1f / 216).mul(x2).add(-1f / 42).mul(x2).add(1f / 10).mul(x2).add(-1f / 3)
                    .mul(x2).add(1f).mul(x).mul(c);
            FloatVector t = ONE.div(ax.mul(0.5f).add(1f));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f).mul(t).add(1.48851587f).mul(t).add(-1.13520398f).mul(t)
                    .add(0.27886807f).mul(t).add(-0.18628806f).mul(t).add(0.09678418f).mul(t).add(0.37409196f).mul(t)
                    .add(1.00002368f).mul(t).add(-1.26551223f).sub(x2);
            FloatVector erfc = t.mul(p.lanewise(VectorOperators.EXP));
            FloatVector big = ONE.sub(erfc);
            big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
            series.blend(big, ax.compare(VectorOperators.GE, 0.5f)).intoMemorySegment(out, (o + i) * 4, NO);
        }
        for (; i < len; i++) out.setAtIndex(Elem.F32, o + i, (float) ScalarMath.erfF32(in.getAtIndex(Elem.F32, xo + i)));
    }
}
