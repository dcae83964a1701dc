#!/usr/bin/env bash
# On a GPU machine, from the project root with the .gpu bundle (../shared/gpu/bundle.sh) beside it:
# runs mlx4j's GpuBench and PyTorch's gpu_peers.py on the same card, one after the other, and
# prints one table: each workload's value for both and the ratio as the issue states targets
# (GEMM: mlx4j TFLOP/s / PyTorch's, target >= 0.95; steps: mlx4j time / PyTorch's, target <= 1.2).
# Usage: bash bench/gpu-compare.sh [gemm,elementwise,mlp,cnn,lm]     (outputs also go to $OUT if set)
set -uo pipefail
cd "$(dirname "$0")/.."
only=${1:-gemm,elementwise,mlp,cnn,lm}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
echo "== mlx4j" >&2
JAVA_OPTS="${JAVA_OPTS:-} -Xmx16g" bash .gpu/run.sh main org.mlx4j.examples.bench.GpuBench --only "$only" 2>"$out/mlx4j.err" | tee "$out/mlx4j.txt" >&2
echo "== PyTorch" >&2
bash .gpu/run.sh peers --only "$only" 2>"$out/torch.err" | tee "$out/torch.txt" >&2
python3 - "$out/mlx4j.txt" "$out/torch.txt" <<'PY' | tee "$out/table.txt"
import re, sys
def read(p):
    r = {}
    for line in open(p):
        m = re.match(r"RESULT (\S+)=(\S+) (.*)", line.strip())
        if m: r[m.group(1)] = (float(m.group(2)), m.group(3))
    return r
ours, theirs = read(sys.argv[1]), read(sys.argv[2])
print(f"{'workload':34} {'mlx4j':>12} {'PyTorch':>12} {'unit':10} {'ratio':>7}  target")
for k in sorted(set(ours) | set(theirs)):
    o, t = ours.get(k), theirs.get(k)
    unit = (o or t)[1]
    lower_better = unit in ("ms", "s")
    ratio = "" if not (o and t and o[0] and t[0]) else f"{o[0] / t[0]:.3f}"
    target = ("time ratio <= 1.2" if k.endswith("step_ms") else "") if lower_better else ("ratio >= 0.95" if k.startswith("gemm.") else "")
    fmt = lambda v: f"{v[0]:12.4g}" if v else f"{'-':>12}"
    print(f"{k:34} {fmt(o)} {fmt(t)} {unit:10} {ratio:>7}  {target}")
PY
