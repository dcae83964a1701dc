package org.mlx4j.core.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mlx4j.core.Array;
import org.mlx4j.core.primitive.BinaryOp;

/**
 * Einstein summation over subscripts like {@code "ij,jk->ik"}, built from public ops so it is
 * differentiable: repeated indices within an operand take a diagonal (a transpose, a reshape and a
 * strided slice), indices found in one operand only and not in the output are summed at once, and
 * operands are then contracted left to right, each pair as one batched {@link LinAlg#matmul} over
 * transposed and reshaped views (or a broadcast multiply when nothing is contracted).
 *
 * <p>Subscripts are ASCII letters, with at most one {@code ...} per term for broadcast axes (aligned
 * from the right, size-one axes broadcast). Without {@code ->} the output is the broadcast axes
 * followed by the indices that appear exactly once, in alphabetical order, as in NumPy.
 */
final class Einsum {
    private Einsum() {}

    /** Labels of broadcast (ellipsis) axes: private-use characters, counted from the right. */
    private static final char ELLIPSIS_BASE = '\uE000';

    /** An operand with one label per axis. */
    private record Term(Array x, List<Character> labels) {}

    static Array einsum(String subscripts, Array... operands) {
        if (subscripts == null) throw new IllegalArgumentException("[einsum] subscripts must not be null.");
        if (operands.length == 0) throw new IllegalArgumentException("[einsum] needs at least one operand, got subscripts \"" + subscripts + "\".");
        for (int i = 1; i < operands.length; i++) Elementwise.sameDevice("einsum", operands[0], operands[i]);
        String spec = subscripts.replace(" ", "");
        int arrow = spec.indexOf("->");
        if (arrow >= 0 && spec.indexOf("->", arrow + 2) >= 0) throw error(subscripts, "has more than one '->'");
        String lhs = arrow >= 0 ? spec.substring(0, arrow) : spec;
        String[] terms = lhs.split(",", -1);
        if (terms.length != operands.length) {
            throw error(subscripts, "names " + terms.length + " operand(s) but " + operands.length + " were given");
        }
        int maxEllipsis = 0;
        List<Term> ops = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            List<Character> labels = parseTerm(subscripts, terms[i], i, operands[i]);
            for (char c : labels) if (c >= ELLIPSIS_BASE) maxEllipsis = Math.max(maxEllipsis, c - ELLIPSIS_BASE + 1);
            ops.add(new Term(operands[i], labels));
        }
        List<Character> out = arrow >= 0 ? parseOutput(subscripts, spec.substring(arrow + 2), maxEllipsis, ops) : implicitOutput(ops, maxEllipsis);
        Map<Character, Integer> sizes = sizes(subscripts, ops);

        // per operand: broadcast size-one ellipsis axes, take diagonals, sum indices used nowhere else
        for (int i = 0; i < ops.size(); i++) {
            Term t = broadcastEllipsis(ops.get(i), sizes);
            t = diagonals(t);
            Set<Character> elsewhere = new LinkedHashSet<>(out);
            for (int j = 0; j < ops.size(); j++) if (j != i) elsewhere.addAll(ops.get(j).labels());
            ops.set(i, sumExcept(t, elsewhere));
        }
        Term r = ops.get(0);
        for (int i = 1; i < ops.size(); i++) {
            Set<Character> keep = new LinkedHashSet<>(out);
            for (int j = i + 1; j < ops.size(); j++) keep.addAll(ops.get(j).labels());
            r = contract(r, ops.get(i), keep);
        }
        r = sumExcept(r, new LinkedHashSet<>(out));
        int[] perm = new int[out.size()];
        for (int i = 0; i < perm.length; i++) perm[i] = r.labels().indexOf(out.get(i));
        return ShapeOps.transpose(r.x(), perm);
    }

    private static IllegalArgumentException error(String subscripts, String what) {
        return new IllegalArgumentException("[einsum] subscripts \"" + subscripts + "\" " + what + ".");
    }

    /** Labels of one input term, with "..." expanded to as many broadcast labels as the operand needs. */
    private static List<Character> parseTerm(String subscripts, String term, int index, Array x) {
        int dots = term.indexOf("...");
        if (dots >= 0 && term.indexOf("...", dots + 3) >= 0) throw error(subscripts, "has more than one '...' in operand " + index);
        String letters = dots >= 0 ? term.substring(0, dots) + term.substring(dots + 3) : term;
        for (char c : letters.toCharArray()) {
            if (!isLetter(c)) throw error(subscripts, "contains '" + c + "'; only letters a-z, A-Z, ',', '->' and '...' are allowed");
        }
        int ell = x.ndim() - letters.length();
        if (ell < 0 || (dots < 0 && ell != 0)) {
            throw error(subscripts, "gives operand " + index + " " + letters.length() + " index(es)" + (dots >= 0 ? " plus '...'" : "")
                    + ", but it has " + x.ndim() + " dimension(s) (shape " + x.shape() + ")");
        }
        List<Character> labels = new ArrayList<>();
        String head = dots >= 0 ? term.substring(0, dots) : term;
        for (char c : head.toCharArray()) labels.add(c);
        if (dots >= 0) {
            for (int j = 0; j < ell; j++) labels.add((char) (ELLIPSIS_BASE + ell - 1 - j));
            for (char c : term.substring(dots + 3).toCharArray()) labels.add(c);
        }
        return labels;
    }

    private static boolean isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    private static List<Character> parseOutput(String subscripts, String term, int maxEllipsis, List<Term> ops) {
        Set<Character> inputs = new LinkedHashSet<>();
        for (Term t : ops) inputs.addAll(t.labels());
        int dots = term.indexOf("...");
        if (dots >= 0 && term.indexOf("...", dots + 3) >= 0) throw error(subscripts, "has more than one '...' in the output");
        List<Character> out = new ArrayList<>();
        for (int i = 0; i < term.length(); i++) {
            if (i == dots) {
                for (int j = 0; j < maxEllipsis; j++) out.add((char) (ELLIPSIS_BASE + maxEllipsis - 1 - j));
                i += 2;
                continue;
            }
            char c = term.charAt(i);
            if (!isLetter(c)) throw error(subscripts, "contains '" + c + "' in the output; only letters and '...' are allowed");
            if (out.contains(c)) throw error(subscripts, "repeats index '" + c + "' in the output");
            if (!inputs.contains(c)) throw error(subscripts, "has output index '" + c + "' that appears in no operand");
            out.add(c);
        }
        return out;
    }

    private static List<Character> implicitOutput(List<Term> ops, int maxEllipsis) {
        Map<Character, Integer> count = new HashMap<>();
        for (Term t : ops) for (char c : t.labels()) count.merge(c, 1, Integer::sum);
        List<Character> out = new ArrayList<>();
        for (int j = 0; j < maxEllipsis; j++) out.add((char) (ELLIPSIS_BASE + maxEllipsis - 1 - j));
        TreeSet<Character> once = new TreeSet<>();
        for (var e : count.entrySet()) if (e.getValue() == 1 && e.getKey() < ELLIPSIS_BASE) once.add(e.getKey());
        out.addAll(once);
        return out;
    }

    /** The size of every label; broadcast labels may be 1 in some operands, letters must agree. */
    private static Map<Character, Integer> sizes(String subscripts, List<Term> ops) {
        Map<Character, Integer> sizes = new HashMap<>();
        Map<Character, Integer> from = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Term t = ops.get(i);
            int[] d = t.x().shape().dims();
            for (int ax = 0; ax < d.length; ax++) {
                char c = t.labels().get(ax);
                Integer s = sizes.get(c);
                if (s == null || (c >= ELLIPSIS_BASE && s == 1)) {
                    sizes.put(c, d[ax]);
                    from.put(c, i);
                } else if (s != d[ax] && !(c >= ELLIPSIS_BASE && d[ax] == 1)) {
                    if (from.get(c) == i) {
                        throw error(subscripts, "repeats index '" + c + "' in operand " + i + " over axes of sizes " + s + " and " + d[ax]
                                + "; a diagonal needs equal sizes (shape " + t.x().shape() + ")");
                    }
                    String name = c >= ELLIPSIS_BASE ? "broadcast axis '...'" : "index '" + c + "'";
                    throw error(subscripts, "gives " + name + " size " + s + " in operand " + from.get(c) + " but size " + d[ax]
                            + " in operand " + i + " (shapes " + shapes(ops) + ")");
                }
            }
        }
        return sizes;
    }

    private static String shapes(List<Term> ops) {
        List<String> s = new ArrayList<>();
        for (Term t : ops) s.add(t.x().shape().toString());
        return String.join(", ", s);
    }

    private static Term broadcastEllipsis(Term t, Map<Character, Integer> sizes) {
        int[] d = t.x().shape().dims();
        int[] target = new int[d.length];
        boolean change = false;
        for (int ax = 0; ax < d.length; ax++) {
            target[ax] = sizes.get(t.labels().get(ax));
            change |= target[ax] != d[ax];
        }
        return change ? new Term(ShapeOps.broadcastTo(t.x(), target), t.labels()) : t;
    }

    /** Replaces each repeated label by its diagonal: the pair of axes becomes one axis at the end. */
    private static Term diagonals(Term t) {
        while (true) {
            List<Character> l = t.labels();
            int p = -1, q = -1;
            for (int i = 0; i < l.size() && p < 0; i++) {
                int j = l.subList(i + 1, l.size()).indexOf(l.get(i));
                if (j >= 0) {
                    p = i;
                    q = i + 1 + j;
                }
            }
            if (p < 0) return t;
            Array x = t.x();
            int n = x.shape().dims()[p];
            int nd = x.ndim();
            int[] perm = new int[nd];
            List<Character> labels = new ArrayList<>();
            int[] shape = new int[nd - 1];
            int k = 0;
            for (int i = 0; i < nd; i++) {
                if (i != p && i != q) {
                    perm[k] = i;
                    shape[k] = x.shape().dims()[i];
                    labels.add(l.get(i));
                    k++;
                }
            }
            perm[nd - 2] = p;
            perm[nd - 1] = q;
            shape[nd - 2] = n * n;
            labels.add(l.get(p));
            // the diagonal of an n x n block is every (n+1)-th element of its flattening
            Array flat = ShapeOps.reshape(ShapeOps.transpose(x, perm), shape);
            int[] start = new int[nd - 1], stop = shape.clone(), step = new int[nd - 1];
            Arrays.fill(step, 1);
            step[nd - 2] = n + 1;
            t = new Term(ShapeOps.slice(flat, start, stop, step), labels);
        }
    }

    /** Sums the axes whose labels are not in {@code keep}. */
    private static Term sumExcept(Term t, Set<Character> keep) {
        List<Integer> axes = new ArrayList<>();
        List<Character> labels = new ArrayList<>();
        for (int i = 0; i < t.labels().size(); i++) {
            if (keep.contains(t.labels().get(i))) labels.add(t.labels().get(i));
            else axes.add(i);
        }
        if (axes.isEmpty()) return t;
        return new Term(LinAlg.sum(t.x(), axes.stream().mapToInt(Integer::intValue).toArray()), labels);
    }

    /**
     * Contracts two terms: shared labels still needed later are batch axes, other shared labels are
     * summed (the matmul's k), the rest are free. The result's labels: batch, free of x, free of y.
     */
    private static Term contract(Term x, Term y, Set<Character> keep) {
        Set<Character> inY = new LinkedHashSet<>(y.labels()), inX = new LinkedHashSet<>(x.labels());
        Set<Character> keepX = new LinkedHashSet<>(keep), keepY = new LinkedHashSet<>(keep);
        keepX.addAll(inY);
        keepY.addAll(inX);
        x = sumExcept(x, keepX);
        y = sumExcept(y, keepY);
        List<Character> batch = new ArrayList<>(), contracted = new ArrayList<>(), freeX = new ArrayList<>(), freeY = new ArrayList<>();
        for (char c : x.labels()) {
            if (!y.labels().contains(c)) freeX.add(c);
            else if (keep.contains(c)) batch.add(c);
            else contracted.add(c);
        }
        for (char c : y.labels()) if (!x.labels().contains(c)) freeY.add(c);
        int[] bd = dims(x, batch), fxd = dims(x, freeX), fyd = dims(y, freeY);
        List<Character> labels = new ArrayList<>(batch);
        labels.addAll(freeX);
        labels.addAll(freeY);
        int[] outShape = cat(cat(bd, fxd), fyd);
        Array r;
        if (contracted.isEmpty()) {
            // nothing to sum: a broadcast multiply of (batch, freeX, 1...) and (batch, 1..., freeY)
            Array xa = ShapeOps.reshape(ShapeOps.transpose(x.x(), perm(x, batch, freeX)), cat(cat(bd, fxd), ones(fyd.length)));
            Array ya = ShapeOps.reshape(ShapeOps.transpose(y.x(), perm(y, batch, freeY)), cat(cat(bd, ones(fxd.length)), fyd));
            r = Elementwise.binary(BinaryOp.MULTIPLY, xa, ya);
        } else {
            int kk = prod(dims(x, contracted)), m = prod(fxd), n = prod(fyd);
            Array xa = ShapeOps.reshape(ShapeOps.transpose(x.x(), perm(x, batch, freeX, contracted)), cat(bd, new int[] {m, kk}));
            Array ya = ShapeOps.reshape(ShapeOps.transpose(y.x(), perm(y, batch, contracted, freeY)), cat(bd, new int[] {kk, n}));
            r = ShapeOps.reshape(LinAlg.matmul(xa, ya), outShape);
        }
        return new Term(r, labels);
    }

    @SafeVarargs
    private static int[] perm(Term t, List<Character>... groups) {
        int[] p = new int[t.labels().size()];
        int k = 0;
        for (List<Character> g : groups) for (char c : g) p[k++] = t.labels().indexOf(c);
        return p;
    }

    private static int[] dims(Term t, List<Character> labels) {
        int[] d = new int[labels.size()];
        for (int i = 0; i < d.length; i++) d[i] = t.x().shape().dims()[t.labels().indexOf(labels.get(i))];
        return d;
    }

    private static int prod(int[] d) {
        long p = 1;
        for (int v : d) p *= v;
        if (p > Integer.MAX_VALUE) throw new IllegalArgumentException("[einsum] an intermediate matrix axis of " + p + " elements is too large.");
        return (int) p;
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }

    private static int[] cat(int[] a, int[] b) { return LinAlg.concat(a, b); }
}
