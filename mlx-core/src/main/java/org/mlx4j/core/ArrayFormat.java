package org.mlx4j.core;

import java.util.Locale;

/** NumPy-like text for {@link Array#toString()}: nested brackets, summarised beyond 1000 elements. */
final class ArrayFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private ArrayFormat() {}

    static String format(Array a) {
        if (a.isClosed() && !a.isEvaluated()) return "array(<closed>, shape=" + a.shape() + ", dtype=" + a.dtype().mlxName() + ")";
        double[] v = a.toDoubleArray();
        boolean summarise = v.length > THRESHOLD;
        String[] cells = new String[v.length];
        int width = 0;
        boolean integral = a.dtype().isIntegral();
        boolean allWhole = true;
        for (double x : v) allWhole &= x == Math.rint(x) || !Double.isFinite(x);
        for (int i = 0; i < v.length; i++) {
            cells[i] = cell(a.dtype(), v[i], integral, allWhole);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder("array(");
        int[] dims = a.shape().dims();
        if (dims.length == 0) {
            sb.append(cells[0]);
        } else {
            append(sb, cells, dims, 0, 0, width, summarise, "      ");
        }
        return sb.append(", shape=").append(a.shape()).append(", dtype=").append(a.dtype().mlxName()).append(')').toString();
    }

    private static String cell(DType t, double x, boolean integral, boolean allWhole) {
        if (t == DType.BOOL) return x != 0 ? "true" : "false";
        if (integral) return Long.toString((long) x);
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (allWhole && Math.abs(x) < 1e16) return (long) x + ".";
        double ax = Math.abs(x);
        if (ax != 0 && (ax < 1e-4 || ax >= 1e8)) return String.format(Locale.ROOT, "%.4e", x);
        String s = String.format(Locale.ROOT, "%.4f", x);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s : s;
    }

    private static long block(int[] dims, int axis) {
        long n = 1;
        for (int i = axis + 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    private static void append(StringBuilder sb, String[] cells, int[] dims, int axis, long base, int width, boolean summarise, String indent) {
        sb.append('[');
        int n = dims[axis];
        long blk = block(dims, axis);
        boolean cut = summarise && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(axis == dims.length - 1 ? "..., " : "...,\n" + indent + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            if (axis == dims.length - 1) {
                String c = cells[(int) (base + i)];
                sb.append(" ".repeat(width - c.length())).append(c);
                if (i < n - 1) sb.append(", ");
            } else {
                append(sb, cells, dims, axis + 1, base + i * blk, width, summarise, indent);
                if (i < n - 1) sb.append(",").append("\n".repeat(dims.length - axis - 1)).append(indent).append(" ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }
}
