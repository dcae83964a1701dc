package org.mlx4j.core.primitive;

/** The reduction family. Backends switch over it exhaustively. */
public enum ReduceOp { SUM, PROD, MAX, MIN, ALL, ANY }
