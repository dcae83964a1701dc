package org.mlx4j.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal subset that NumPy writes in {@code .npy} headers (what
 * {@code ast.literal_eval} accepts there): dicts, tuples, lists, strings, integers (with Python 2's
 * {@code L} suffix), {@code True}, {@code False} and {@code None}.
 *
 * <p>Values map to {@link Map} (ordered), {@link Tuple}, {@link List}, {@link String}, {@link Long},
 * {@link Boolean} and {@link #NONE}. Nesting is capped, so a hostile header cannot exhaust the stack.
 */
final class PyLiteral {
    /** A Python tuple. */
    record Tuple(List<Object> items) {}

    /** Python's None (Java null is kept for "absent"). */
    static final Object NONE = new Object() {
        @Override public String toString() { return "None"; }
    };

    /** A syntax error at a character position. */
    static final class SyntaxError extends Exception {
        final int position;

        SyntaxError(int position, String message) {
            super(message);
            this.position = position;
        }
    }

    private static final int MAX_DEPTH = 32;

    private final String s;
    private int pos;

    private PyLiteral(String s) { this.s = s; }

    /** Parses one literal, allowing surrounding whitespace (the header ends with spaces and a newline). */
    static Object parse(String text) throws SyntaxError {
        PyLiteral p = new PyLiteral(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) throw new SyntaxError(p.pos, "unexpected '" + text.charAt(p.pos) + "' after the literal");
        return v;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private char peek() throws SyntaxError {
        if (pos >= s.length()) throw new SyntaxError(pos, "unexpected end of header");
        return s.charAt(pos);
    }

    private void expect(char c) throws SyntaxError {
        skipSpace();
        if (peek() != c) throw new SyntaxError(pos, "expected '" + c + "' but found '" + s.charAt(pos) + "'");
        pos++;
    }

    private Object value(int depth) throws SyntaxError {
        if (depth > MAX_DEPTH) throw new SyntaxError(pos, "nesting deeper than " + MAX_DEPTH);
        skipSpace();
        char c = peek();
        return switch (c) {
            case '{' -> dict(depth);
            case '(' -> sequence(depth, ')');
            case '[' -> sequence(depth, ']');
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || (c >= '0' && c <= '9')) yield integer();
                if (Character.isLetter(c)) yield name();
                throw new SyntaxError(pos, "unexpected '" + c + "'");
            }
        };
    }

    private Map<Object, Object> dict(int depth) throws SyntaxError {
        pos++; // '{'
        Map<Object, Object> m = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            int keyPos = pos;
            Object k = value(depth + 1);
            if (k instanceof Map || k instanceof List) throw new SyntaxError(keyPos, "unhashable dict key");
            expect(':');
            Object v = value(depth + 1);
            if (m.put(k, v) != null) throw new SyntaxError(keyPos, "duplicate key " + k);
            skipSpace();
            if (peek() == ',') pos++;
            else if (peek() != '}') throw new SyntaxError(pos, "expected ',' or '}' but found '" + s.charAt(pos) + "'");
        }
    }

    private Object sequence(int depth, char close) throws SyntaxError {
        pos++; // '(' or '['
        List<Object> items = new ArrayList<>();
        boolean comma = false;
        while (true) {
            skipSpace();
            if (peek() == close) {
                pos++;
                break;
            }
            items.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
                comma = true;
            } else if (peek() != close) {
                throw new SyntaxError(pos, "expected ',' or '" + close + "' but found '" + s.charAt(pos) + "'");
            }
        }
        if (close == ']') return items;
        // "(3)" is just the parenthesised value 3 in Python; "(3,)" is a tuple
        if (items.size() == 1 && !comma) return items.get(0);
        return new Tuple(items);
    }

    private String string() throws SyntaxError {
        char quote = s.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == quote) return sb.toString();
            if (c == '\n') throw new SyntaxError(pos - 1, "line break inside a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            pos++;
            switch (e) {
                case '\\', '\'', '"' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                default -> throw new SyntaxError(pos - 1, "unsupported escape '\\" + e + "'");
            }
        }
    }

    private int hex(int digits) throws SyntaxError {
        if (pos + digits > s.length()) throw new SyntaxError(pos, "unexpected end of header in an escape");
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(s.charAt(pos), 16);
            if (d < 0) throw new SyntaxError(pos, "bad hex digit '" + s.charAt(pos) + "'");
            v = v * 16 + d;
            pos++;
        }
        return v;
    }

    private Long integer() throws SyntaxError {
        int start = pos;
        if (s.charAt(pos) == '-' || s.charAt(pos) == '+') pos++;
        int digits = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        if (pos == digits) throw new SyntaxError(start, "expected a digit");
        String text = s.substring(start, pos);
        if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) pos++; // Python 2 long
        try {
            return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new SyntaxError(start, "integer " + text + " is out of range");
        }
    }

    private Object name() throws SyntaxError {
        int start = pos;
        while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) pos++;
        String w = s.substring(start, pos);
        switch (w) {
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            case "None": return NONE;
            case "u", "b":
                // u'...' and b'...' prefixes of Python 2 era headers
                if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) return string();
                break;
            default:
                break;
        }
        throw new SyntaxError(start, "unexpected name '" + w + "'");
    }
}
