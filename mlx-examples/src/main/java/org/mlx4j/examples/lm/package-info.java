/**
 * A byte-level transformer language model, the example beside ../shared/peers/transformer_lm.py:
 * {@link org.mlx4j.examples.lm.ByteCorpus} (text as bytes, train/validation split),
 * {@link org.mlx4j.examples.lm.CharTransformer} (a GPT-2 style model with optional LoRA adapters),
 * {@link org.mlx4j.examples.lm.LmTask} (batches, loss and validation loss for the trainer),
 * {@link org.mlx4j.examples.lm.Sampler} (text generation) and
 * {@link org.mlx4j.examples.lm.LmBench} (training throughput against the PyTorch peer).
 */
package org.mlx4j.examples.lm;
