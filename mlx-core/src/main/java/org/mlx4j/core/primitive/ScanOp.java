package org.mlx4j.core.primitive;

/** The scan family (cumulative ops). Backends switch over it exhaustively. */
public enum ScanOp {
    /** Running sum ({@code cumsum}). */
    SUM,
    /** Running product ({@code cumprod}). */
    PROD,
    /** Running maximum ({@code cummax}); NaN propagates. */
    MAX,
    /** Running minimum ({@code cummin}); NaN propagates. */
    MIN,
    /** Running {@code log(sum(exp))} ({@code logcumsumexp}). */
    LOGADDEXP
}
