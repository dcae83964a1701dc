package org.mlx4j.examples.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Embedding;
import org.mlx4j.nn.LayerNorm;
import org.mlx4j.nn.Linear;
import org.mlx4j.nn.LoRALinear;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.MultiHeadAttention;
import org.mlx4j.nn.UnaryModule;

/**
 * A byte-level causal transformer language model, GPT-2 style, exactly the model of
 * ../shared/peers/transformer_lm.py: pre-LayerNorm, no dropout, no weight tying.
 *
 * <pre>
 * x = tok(tokens) + pos(0..T-1)                         learned embeddings (vocab, D), (context, D)
 * L times:  x += proj(causalMHA(ln1(x)))                fused qkv Linear(D, 3D), H heads, scores / sqrt(D/H)
 *           x += fc2(gelu(fc1(ln2(x))))                 D -&gt; 4D -&gt; D, exact (erf) GELU
 * logits = head(lnf(x))                                 Linear(D, vocab)
 * </pre>
 *
 * <p>LayerNorm eps 1e-5. Initialization as the peer: Linear and Embedding weights N(0, 0.02),
 * biases 0, LayerNorm weight 1 and bias 0, drawn from the global random state ({@link MX#seed}).
 * Parameter keys follow the peer's PyTorch module: {@code tok.weight}, {@code pos.weight},
 * {@code blocks.0.ln1.weight}, {@code blocks.0.qkv.weight}, {@code blocks.0.proj.bias},
 * {@code blocks.0.ln2.weight}, {@code blocks.0.fc1.weight}, {@code blocks.0.fc2.weight},
 * {@code lnf.weight}, {@code head.weight}, ...
 *
 * <p>For speed on the CPU backend the LayerNorms and the GELU run through {@link LmOps} (the same
 * values, hand-written gradients) and the attention uses the three row blocks of the fused qkv weight
 * as three products, so no (B, T, 3D) gradient is assembled from slices.
 *
 * <pre>{@code
 * MX.seed(0);
 * var model = new CharTransformer(CharTransformer.Config.DEFAULT);
 * Array logits = model.forward(tokens);       // (B, T) int32 -> (B, T, 256)
 * model.applyLoRA(8, 2.0);                    // fine-tune low-rank adapters only
 * }</pre>
 */
public final class CharTransformer extends UnaryModule {
    /**
     * The architecture.
     *
     * @param layers  transformer blocks (default 4)
     * @param dims    the model width D (default 128)
     * @param heads   attention heads; must divide dims (default 4)
     * @param context the longest input T, the size of the position table (default 128)
     * @param vocab   the vocabulary (default 256, one token per byte)
     */
    public record Config(int layers, int dims, int heads, int context, int vocab) {
        /** The peer's model: 4 layers, width 128, 4 heads, context 128, vocabulary 256. */
        public static final Config DEFAULT = new Config(4, 128, 4, 128, 256);

        /** @throws IllegalArgumentException for a size that is not positive, or heads not dividing dims */
        public Config {
            if (layers <= 0 || dims <= 0 || heads <= 0 || context <= 0 || vocab <= 0) {
                throw new IllegalArgumentException("[CharTransformer] sizes must be positive, got layers=" + layers + ", dims=" + dims + ", heads="
                        + heads + ", context=" + context + ", vocab=" + vocab + ".");
            }
            if (dims % heads != 0) {
                throw new IllegalArgumentException("[CharTransformer] dims must be divisible by heads, got dims=" + dims + " and heads=" + heads + ".");
            }
        }

        /** The default configuration with other sizes for the first four fields and vocabulary 256. */
        public static Config of(int layers, int dims, int heads, int context) { return new Config(layers, dims, heads, context, 256); }

        /**
         * The parameter count of this architecture, by the peer's formula: embeddings
         * {@code (vocab + context) D}, per block two LayerNorms {@code 4D}, qkv {@code 3D^2 + 3D},
         * proj {@code D^2 + D}, fc1 {@code 4D^2 + 4D}, fc2 {@code 4D^2 + D}; final LayerNorm
         * {@code 2D}; head {@code D vocab + vocab}.
         */
        public long parameterCount() {
            long d = dims;
            long block = 4 * d + (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d);
            return (long) (vocab + context) * d + layers * block + 2 * d + d * vocab + vocab;
        }
    }

    private final Config config;
    private final Embedding tok, pos;
    private final List<Block> blocks;
    private final LayerNorm lnf;
    private final Linear head;
    /** Additive causal mask (context, context): 0 where a position may attend, the lowest float above the diagonal. */
    private final Array mask;

    /** A freshly initialized model of the default configuration. */
    public CharTransformer() { this(Config.DEFAULT); }

    /** A freshly initialized model, drawn from the global random state. */
    public CharTransformer(Config config) {
        if (config == null) throw new IllegalArgumentException("[CharTransformer] config is null.");
        this.config = config;
        int d = config.dims();
        tok = registerModule("tok", new Embedding(config.vocab(), d));
        pos = registerModule("pos", new Embedding(config.context(), d));
        List<Block> bs = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) bs.add(new Block(d, config.heads()));
        blocks = registerModules("blocks", bs);
        lnf = registerModule("lnf", new LayerNorm(d, 1e-5));
        head = registerModule("head", new Linear(d, config.vocab()));
        initWeights();
        mask = MultiHeadAttention.createAdditiveCausalMask(config.context(), DType.FLOAT32);
        MX.eval(mask);
        MX.eval(parameters());
    }

    /** The peer's init: every Linear and Embedding weight N(0, 0.02), Linear biases 0 (LayerNorms start at 1 and 0 already). */
    private void initWeights() {
        Map<String, Array> init = new LinkedHashMap<>();
        for (var e : modules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            if (e.getValue() instanceof Linear l) {
                init.put(prefix + "weight", MX.normal(l.weight().shape().toArray(), DType.FLOAT32, 0, 0.02, null));
                if (l.bias() != null) init.put(prefix + "bias", MX.zeros(l.outputDims()));
            } else if (e.getValue() instanceof Embedding emb) {
                init.put(prefix + "weight", MX.normal(emb.weight().shape().toArray(), DType.FLOAT32, 0, 0.02, null));
            }
        }
        update(init);
    }

    /** The architecture. */
    public Config config() { return config; }

    /** The blocks, in order (their layers change when LoRA is applied or merged). */
    public List<Block> blocks() { return blocks; }

    /**
     * Next-token logits for every position.
     *
     * @param tokens (B, T) integer token ids in [0, vocab), 1 &lt;= T &lt;= context
     * @return (B, T, vocab) float32 logits; position t depends only on tokens 0..t
     * @throws IllegalArgumentException if tokens is not 2-D integer or T exceeds the context
     */
    @Override public Array forward(Array tokens) {
        if (tokens == null || tokens.ndim() != 2 || !tokens.dtype().isInteger()) {
            throw new IllegalArgumentException("[CharTransformer] expected integer tokens (B, T), got "
                    + (tokens == null ? "null" : tokens.dtype().mlxName() + " with shape " + tokens.shape()) + ".");
        }
        int t = tokens.dim(1);
        if (t < 1 || t > config.context()) {
            throw new IllegalArgumentException("[CharTransformer] the sequence length T must be in [1, " + config.context() + "] (the context), got shape "
                    + tokens.shape() + ".");
        }
        Array positions = MX.slice(pos.weight(), new int[] {0, 0}, new int[] {t, config.dims()}, new int[] {1, 1});
        int b = tokens.dim(0), d = config.dims();
        // the residual stream as (B*T, D): every Linear is then one 2-D product (one GEMM per
        // layer, and a row-major weight gradient) instead of B batched products
        Array x = MX.reshape(MX.add(tok.forward(tokens), positions), b * t, d);
        Array m = t == config.context() ? mask : MX.slice(mask, new int[] {0, 0}, new int[] {t, t}, new int[] {1, 1});
        for (Block blk : blocks) x = blk.forward(x, m, b, t);
        return MX.reshape(head.forward(lnf.forward(x)), b, t, config.vocab());
    }

    // ------------------------------------------------------------------ LoRA

    /**
     * Replaces qkv, proj, fc1 and fc2 of every block by {@link LoRALinear} adapters
     * ({@code LoRALinear.fromBase(linear, rank, scale, 0)}) and freezes everything else, so only
     * the {@code lora_a} and {@code lora_b} arrays train. As {@code lora_b} starts at zero the
     * model computes exactly what it did before. Keys become {@code blocks.0.qkv.linear.weight},
     * {@code blocks.0.qkv.lora_a}, ...
     *
     * @return this model
     * @throws IllegalStateException if LoRA is already applied
     * @throws IllegalArgumentException for a rank that is not positive or a scale that is not finite
     */
    public CharTransformer applyLoRA(int rank, double scale) {
        if (hasLoRA()) throw new IllegalStateException("[CharTransformer] LoRA is already applied; mergeLoRA() first.");
        if (rank <= 0) throw new IllegalArgumentException("[CharTransformer] the LoRA rank must be positive, got " + rank + ".");
        if (!Double.isFinite(scale)) throw new IllegalArgumentException("[CharTransformer] the LoRA scale must be finite, got " + scale + ".");
        freeze();
        for (Block b : blocks) b.applyLoRA(rank, scale);
        MX.eval(parameters());
        return this;
    }

    /**
     * Folds every adapter into a plain {@link Linear} ({@link LoRALinear#toLinear()}), giving the
     * original keys back, so {@link #saveWeights} writes a checkpoint that a fresh
     * {@code CharTransformer} of the same config loads strictly. Every parameter is trainable
     * afterwards.
     *
     * @return this model
     * @throws IllegalStateException if LoRA is not applied
     */
    public CharTransformer mergeLoRA() {
        if (!hasLoRA()) throw new IllegalStateException("[CharTransformer] there is no LoRA adapter to merge; applyLoRA(rank, scale) first.");
        for (Block b : blocks) b.mergeLoRA();
        unfreeze();
        MX.eval(parameters());
        return this;
    }

    /** True while LoRA adapters are applied. */
    public boolean hasLoRA() { return !blocks.isEmpty() && blocks.get(0).qkv instanceof LoRALinear; }

    @Override protected String describe() {
        return "layers=" + config.layers() + ", dims=" + config.dims() + ", heads=" + config.heads() + ", context=" + config.context() + ", vocab=" + config.vocab();
    }

    /**
     * One pre-LN transformer block: {@code x += proj(causalMHA(ln1(x))); x += fc2(gelu(fc1(ln2(x))))}.
     * Its four projections are {@link Linear} layers, or {@link LoRALinear} adapters on them.
     */
    public static final class Block extends Module {
        private final int dims, heads;
        private final LayerNorm ln1, ln2;
        private UnaryModule qkv, proj, fc1, fc2;

        Block(int dims, int heads) {
            this.dims = dims;
            this.heads = heads;
            ln1 = registerModule("ln1", new LayerNorm(dims, 1e-5));
            qkv = registerModule("qkv", new Linear(dims, 3 * dims));
            proj = registerModule("proj", new Linear(dims, dims));
            ln2 = registerModule("ln2", new LayerNorm(dims, 1e-5));
            fc1 = registerModule("fc1", new Linear(dims, 4 * dims));
            fc2 = registerModule("fc2", new Linear(4 * dims, dims));
        }

        /** The fused query/key/value projection, (D -&gt; 3D). */
        public UnaryModule qkv() { return qkv; }

        /** The attention output projection, (D -&gt; D). */
        public UnaryModule proj() { return proj; }

        /** The MLP's first layer, (D -&gt; 4D). */
        public UnaryModule fc1() { return fc1; }

        /** The MLP's second layer, (4D -&gt; D). */
        public UnaryModule fc2() { return fc2; }

        /** x (B*T, D), the rows of B sequences of length T; mask (T, T) additive: returns (B*T, D). */
        Array forward(Array x, Array mask, int b, int t) {
            x = MX.add(x, proj.forward(attention(norm(ln1, x), mask, b, t)));
            Array h = fc1.forward(norm(ln2, x));
            return MX.add(x, fc2.forward(LmOps.gelu(h)));
        }

        /** The LayerNorm {@code ln} (its parameters, its eps) through {@link LmOps#layerNorm}, whose backward pass is cheaper. */
        private Array norm(LayerNorm ln, Array x) {
            var p = ln.parameters();
            return LmOps.layerNorm(x, p.get("weight"), p.get("bias"), ln.eps());
        }

        /**
         * Causal multi-head attention of h (B*T, D): q, k, v laid out as (B, H, T, D/H) views, the
         * scores scaled by 1/sqrt(D/H), the mask added, softmax, values gathered and the heads
         * joined back to (B*T, D).
         */
        private Array attention(Array h, Array mask, int b, int t) {
            int dh = dims / heads;
            double scale = 1.0 / Math.sqrt(dh);
            Array q, kT, v;
            if (qkv instanceof Linear l) {
                // three products with row blocks of the fused weight: their gradients meet in the small
                // weight, not in a (B, T, 3D) buffer assembled from three slice updates; the scale is
                // folded into the query rows
                Array w = l.weight(), bias = l.bias();
                Array wq = MX.multiply(rows(w, 0), MX.scalarLike(scale, w)), bq = MX.multiply(rows(bias, 0), MX.scalarLike(scale, bias));
                q = MX.transpose(MX.reshape(MX.addmm(bq, h, MX.transpose(wq)), b, t, heads, dh), 0, 2, 1, 3);
                kT = MX.transpose(MX.reshape(MX.addmm(rows(bias, 1), h, MX.transpose(rows(w, 1))), b, t, heads, dh), 0, 2, 3, 1);
                v = MX.transpose(MX.reshape(MX.addmm(rows(bias, 2), h, MX.transpose(rows(w, 2))), b, t, heads, dh), 0, 2, 1, 3);
            } else {
                Array heads5 = MX.transpose(MX.reshape(qkv.forward(h), b, t, 3, heads, dh), 2, 0, 3, 1, 4);   // (3, B, H, T, dh)
                Array[] parts = MX.split(heads5, 3, 0);
                q = MX.multiply(MX.squeeze(parts[0], 0), MX.scalarLike(scale, h));
                kT = MX.swapaxes(MX.squeeze(parts[1], 0), -1, -2);
                v = MX.squeeze(parts[2], 0);
            }
            Array att = MX.softmax(MX.add(MX.matmul(q, kT), mask), -1);
            Array y = MX.matmul(att, v);                                                               // (B, H, T, dh)
            return MX.reshape(MX.transpose(y, 0, 2, 1, 3), b * t, dims);
        }

        /** Block i of D rows (or entries) of the fused qkv weight (3D, D) or bias (3D). */
        private Array rows(Array a, int i) {
            int[] start = new int[a.ndim()], stop = a.shape().toArray(), step = new int[a.ndim()];
            Arrays.fill(step, 1);
            start[0] = i * dims;
            stop[0] = (i + 1) * dims;
            return MX.slice(a, start, stop, step);
        }

        void applyLoRA(int rank, double scale) {
            qkv = replaceModule("qkv", LoRALinear.fromBase((Linear) qkv, rank, scale, 0));
            proj = replaceModule("proj", LoRALinear.fromBase((Linear) proj, rank, scale, 0));
            fc1 = replaceModule("fc1", LoRALinear.fromBase((Linear) fc1, rank, scale, 0));
            fc2 = replaceModule("fc2", LoRALinear.fromBase((Linear) fc2, rank, scale, 0));
        }

        void mergeLoRA() {
            qkv = replaceModule("qkv", ((LoRALinear) qkv).toLinear());
            proj = replaceModule("proj", ((LoRALinear) proj).toLinear());
            fc1 = replaceModule("fc1", ((LoRALinear) fc1).toLinear());
            fc2 = replaceModule("fc2", ((LoRALinear) fc2).toLinear());
        }

        @Override protected String describe() { return "dims=" + dims + ", heads=" + heads; }
    }
}
