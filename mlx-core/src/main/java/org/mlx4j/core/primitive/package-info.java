/**
 * Graph node kinds: each primitive a small record with its vjp and jvp rules written with public ops. Elementwise ops come in enum families.
 */
package org.mlx4j.core.primitive;
