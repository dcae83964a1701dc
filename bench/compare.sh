#!/usr/bin/env bash
# Runs mlx4j's CPU benchmark and the PyTorch peers in ../shared/peers back to back on this machine
# and prints a table of ratios (mlx4j / PyTorch, as the issue states each target).
# Needs: JDK 25, /usr/bin/python3 with python3-torch and python3-numpy, libopenblas0-openmp.
# Usage: bench/compare.sh [gemm,elementwise,step,mlp,cnn,lm]   (default: all six)
# mlp and cnn train on Fashion-MNIST (Debian's dataset-fashion-mnist) for the peers' epochs (5 and 3).
# lm trains the byte-level transformer LM on the Vim help (Debian's vim-runtime) for 300 steps.
set -euo pipefail
cd "$(dirname "$0")/.."
only=${1:-gemm,elementwise,step,mlp,cnn,lm}
peers=${PEERS:-../shared/peers}
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=$(mktemp -d)
# one reactor run builds the classes and writes the runtime class path (mlx-examples writes last)
./mvnw -q -B -DskipTests package dependency:build-classpath -pl mlx-examples -am -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$out/cp.txt" >/dev/null
cp="mlx-examples/target/classes:$(cat "$out/cp.txt")"
# one JVM per workload, as each peer script is its own process
run_ours() {
  for w in ${only//,/ }; do
    case "$w" in
      mlp|cnn) "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -cp "$cp" org.mlx4j.examples.bench.TrainBench "$w" 2>/dev/null;;
      lm) "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -cp "$cp" org.mlx4j.examples.lm.LmBench 2>/dev/null;;
      *) "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -cp "$cp" org.mlx4j.examples.bench.CoreBench --only "$w" 2>/dev/null;;
    esac
  done
}
echo "== mlx4j" >&2
run_ours | tee "$out/ours.txt" >&2
echo "== PyTorch" >&2
: > "$out/theirs.txt"
case ",$only," in *,gemm,*) /usr/bin/python3 "$peers/gemm.py" --libs torch | tee -a "$out/theirs.txt" >&2;; esac
case ",$only," in *,elementwise,*) /usr/bin/python3 "$peers/elementwise.py" --libs torch | tee -a "$out/theirs.txt" >&2;; esac
case ",$only," in *,step,*) /usr/bin/python3 "$peers/step_latency.py" | tee -a "$out/theirs.txt" >&2;; esac
case ",$only," in *,mlp,*) (cd "$peers" && /usr/bin/python3 mlp_fashion.py) | tee -a "$out/theirs.txt" >&2;; esac
case ",$only," in *,cnn,*) (cd "$peers" && /usr/bin/python3 cnn_fashion.py) | tee -a "$out/theirs.txt" >&2;; esac
case ",$only," in *,lm,*) (cd "$peers" && /usr/bin/python3 transformer_lm.py) | tee -a "$out/theirs.txt" >&2;; esac
/usr/bin/python3 - "$out/ours.txt" "$out/theirs.txt" <<'PY'
import sys, re
def load(p):
    d = {}
    for line in open(p):
        m = re.match(r"RESULT (\S+)=(\S+) (\S+)", line)
        if m: d[m.group(1)] = float(m.group(2))
    return d
ours, theirs = load(sys.argv[1]), load(sys.argv[2])
rows = []
for n in (256, 512, 1024, 2048):
    a, b = ours.get(f"gemm.mlx4j.n{n}"), theirs.get(f"gemm.torch.n{n}")
    if a and b: rows.append((f"fp32 GEMM n={n} (GFLOPS, higher is better)", a, b, a / b, "mlx4j/PyTorch GFLOPS"))
for key, name in (("elem.affine", "x*2+1, 16M floats"), ("elem.gelu_erf", "GELU exact, 16M"),
                  ("elem.softmax4096", "softmax (4096, 4096)")):
    for form, what in (("alloc", "new output"), ("out", "preallocated output")):
        a, b = ours.get(f"{key}.mlx4j.{form}.ms"), theirs.get(f"{key}.torch.{form}.ms")
        if a and b: rows.append((f"{name}, {what} (ms)", a, b, b / a, "PyTorch time / mlx4j time"))
a, b = ours.get("elem.sum16M.mlx4j.ms"), theirs.get("elem.sum16M.torch.ms")
if a and b: rows.append(("sum of 16M floats (ms)", a, b, b / a, "PyTorch time / mlx4j time"))
a, b = ours.get("step_latency.mlx4j.median_us"), theirs.get("step_latency.median_us")
if a and b: rows.append(("tiny MLP SGD step, median (us)", a, b, a / b, "mlx4j time / PyTorch time"))
for m, ep in (("mlp", 5), ("cnn", 3)):
    a, b = ours.get(f"{m}.mlx4j.epoch_s_median_ep2toN"), theirs.get(f"{m}.epoch_s_median_ep2toN")
    if a and b: rows.append((f"Fashion-MNIST {m.upper()} s/epoch (median of epochs 2..{ep})", a, b, a / b, "mlx4j time / PyTorch time"))
    a, b = ours.get(f"{m}.mlx4j.test_acc_after_{ep}ep"), theirs.get(f"{m}.test_acc_after_{ep}ep")
    if a and b: rows.append((f"Fashion-MNIST {m.upper()} test accuracy after {ep} epochs", a, b, a / b, "mlx4j / PyTorch accuracy"))
a, b = ours.get("lm.mlx4j.tokens_per_s_median"), theirs.get("lm.tokens_per_s_median")
if a and b: rows.append(("byte-level LM tokens/s (median)", a, b, a / b, "mlx4j/PyTorch tokens/s, higher is better"))
for key in sorted(k for k in theirs if re.fullmatch(r"lm\.val_loss_step\d+", k)):
    a, b = ours.get(key.replace("lm.", "lm.mlx4j.", 1)), theirs.get(key)
    if a and b: rows.append((f"byte-level LM {key[3:]} (nats)", a, b, a / b, "mlx4j / PyTorch loss"))
print("| workload | mlx4j | PyTorch | ratio | ratio means |")
print("|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:.4g} | {r[2]:.4g} | {r[3]:.2f} | {r[4]} |")
PY
