package org.mlx4j.examples.cli;

import java.util.Map;
import org.mlx4j.examples.fashion.FashionModels;
import org.mlx4j.examples.lm.CharTransformer;
import org.mlx4j.examples.train.Checkpoint;
import org.mlx4j.nn.Module;

/** Rebuilds the model a checkpoint describes and loads its weights. */
final class Models {
    private Models() {}

    /** The model kind of a checkpoint: {@code mlp}, {@code cnn} or {@code lm}. */
    static String kind(Checkpoint c) {
        String m = c.architecture().get("model");
        if (m == null || !(m.equals("mlp") || m.equals("cnn") || m.equals("lm"))) {
            throw new IllegalArgumentException("[checkpoint] " + c.file() + " holds an unknown model '" + m + "' (architecture " + c.architecture() + ").");
        }
        return m;
    }

    /** A fresh model of the checkpoint's architecture with its weights loaded. */
    static Module restore(Checkpoint c) {
        Module m = build(c);
        c.restoreModel(m);
        return m;
    }

    static Module build(Checkpoint c) {
        Map<String, String> arch = c.architecture();
        return switch (kind(c)) {
            case "mlp" -> FashionModels.mlp();
            case "cnn" -> arch.containsKey("classes") ? FashionModels.cnn(FashionModels.parseClasses(arch.get("classes")).length) : FashionModels.cnn();
            default -> {
                CharTransformer lm = new CharTransformer(lmConfig(c));
                // a checkpoint taken during LoRA fine-tuning holds the adapters beside the frozen base
                if (arch.containsKey("lora_rank")) lm.applyLoRA(Integer.parseInt(arch.get("lora_rank")), Double.parseDouble(arch.get("lora_scale")));
                yield lm;
            }
        };
    }

    /** The LM configuration stored in a checkpoint's architecture. */
    static CharTransformer.Config lmConfig(Checkpoint c) {
        Map<String, String> a = c.architecture();
        try {
            return new CharTransformer.Config(Integer.parseInt(a.get("layers")), Integer.parseInt(a.get("dims")), Integer.parseInt(a.get("heads")),
                    Integer.parseInt(a.get("context")), Integer.parseInt(a.get("vocab")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("[checkpoint] " + c.file() + " has an incomplete LM architecture " + a + ".", e);
        }
    }

    static int[] classes(Checkpoint c) {
        String s = c.architecture().get("classes");
        return s == null ? null : FashionModels.parseClasses(s);
    }
}
