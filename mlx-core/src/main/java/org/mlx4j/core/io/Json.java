package org.mlx4j.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON reader and writer the safetensors header needs (mlx-core depends on the JDK alone).
 *
 * <p>Reading follows RFC 8259 strictly: objects become ordered {@link Map}s (duplicate keys are an
 * error), arrays {@link List}s, integers {@link Long}, other numbers {@link Double}, and
 * {@code null} becomes {@link #NULL}. Nesting is capped so a hostile header cannot exhaust the stack.
 * Writing is compact, like serde_json's default.
 */
final class Json {
    /** JSON's null (Java null is kept for "absent"). */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    /** A syntax error at a character position. */
    static final class SyntaxError extends Exception {
        final int position;

        SyntaxError(int position, String message) {
            super(message);
            this.position = position;
        }
    }

    private static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;

    private Json(String s) { this.s = s; }

    // ------------------------------------------------------------------ reading

    /** Parses one JSON value; whitespace may surround it (safetensors pads its header with spaces). */
    static Object parse(String text) throws SyntaxError {
        Json p = new Json(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) throw new SyntaxError(p.pos, "unexpected " + p.describe() + " after the value");
        return v;
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private String describe() {
        if (pos >= s.length()) return "end of input";
        char c = s.charAt(pos);
        return c < 0x20 ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private char next() throws SyntaxError {
        if (pos >= s.length()) throw new SyntaxError(pos, "unexpected end of input");
        return s.charAt(pos++);
    }

    private Object value(int depth) throws SyntaxError {
        if (depth > MAX_DEPTH) throw new SyntaxError(pos, "nesting deeper than " + MAX_DEPTH);
        skipSpace();
        if (pos >= s.length()) throw new SyntaxError(pos, "unexpected end of input, expected a value");
        char c = s.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw new SyntaxError(pos, "unexpected " + describe() + ", expected a value");
        }
    }

    private Object literal(String word, Object v) throws SyntaxError {
        if (!s.startsWith(word, pos)) throw new SyntaxError(pos, "unexpected " + describe() + ", expected a value");
        pos += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws SyntaxError {
        pos++; // '{'
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            int keyPos = pos;
            if (pos >= s.length() || s.charAt(pos) != '"') throw new SyntaxError(pos, "expected a string key but found " + describe());
            String k = string();
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != ':') throw new SyntaxError(pos, "expected ':' but found " + describe());
            pos++;
            Object v = value(depth + 1);
            if (m.containsKey(k)) throw new SyntaxError(keyPos, "duplicate key \"" + k + "\"");
            m.put(k, v);
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
            } else if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            } else {
                throw new SyntaxError(pos, "expected ',' or '}' but found " + describe());
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxError {
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return items;
        }
        while (true) {
            items.add(value(depth + 1));
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
            } else if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return items;
            } else {
                throw new SyntaxError(pos, "expected ',' or ']' but found " + describe());
            }
        }
    }

    private String string() throws SyntaxError {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw new SyntaxError(pos, "unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw new SyntaxError(pos - 1, String.format("unescaped control character U+%04X in a string", (int) c));
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw new SyntaxError(pos - 1, "invalid escape '\\" + e + "'");
            }
        }
    }

    private char hex4() throws SyntaxError {
        if (pos + 4 > s.length()) throw new SyntaxError(pos, "unterminated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos), 16);
            if (d < 0) throw new SyntaxError(pos, "invalid hex digit '" + s.charAt(pos) + "' in a \\u escape");
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() throws SyntaxError {
        int start = pos;
        if (s.charAt(pos) == '-') pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw new SyntaxError(pos, "expected a digit but found " + describe());
        if (s.charAt(pos) == '0') pos++;
        else while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw new SyntaxError(pos, "expected a digit after '.' but found " + describe());
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw new SyntaxError(pos, "expected an exponent digit but found " + describe());
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        String text = s.substring(start, pos);
        if (!integral) return Double.parseDouble(text);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SyntaxError(start, "integer " + text + " is out of range");
        }
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    // ------------------------------------------------------------------ writing

    /**
     * Compact JSON for maps (string keys, in iteration order), lists, strings, integral numbers and
     * booleans.
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                writeString(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof String str) {
            writeString(sb, str);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            sb.append(v);
        } else if (v == NULL) {
            sb.append("null");
        } else {
            throw new IllegalArgumentException("[json] cannot write " + (v == null ? "null" : v.getClass().getSimpleName()));
        }
    }

    private static void writeString(StringBuilder sb, String str) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
