package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlx4j.examples.bench.FashionTraining;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.examples.data.FashionMnist;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.NN;
import org.mlx4j.nn.Reduction;
import org.mlx4j.nn.UnaryModule;
import org.mlx4j.optim.Adam;

/**
 * End to end on real data: the peers' two Fashion-MNIST models (../shared/peers/mlp_fashion.py and
 * cnn_fashion.py: batch 128, Adam 1e-3, cross-entropy, all 60,000 training images, reshuffled each
 * epoch) reach the stated test accuracy, and a long training loop keeps memory flat.
 */
class FashionMnistTrainingTest {

    /**
     * The MLP trains for the epochs it needs, at most 10: the test accuracy after some epoch reaches
     * 88% (PyTorch's peer is at 88.0% after 5; ours, seed 0, at 87.95% after 5 and 88% by 6-8).
     */
    @Test
    void mlpReaches88Percent() {
        MX.seed(0);
        var r = FashionTraining.train(FashionTraining.mlp(), FashionData.get(), 10, 128, 1e-3, 0, 60000, 0, 0.88,
                line -> System.out.println("mlp " + line));
        assertTrue(r.finalAccuracy() >= 0.88, "MLP test accuracy " + r.finalAccuracy() + " after 10 epochs is below 0.88");
    }

    /** The CNN for at most 4 epochs reaches 89% (PyTorch's peer: 89.6% after 3). */
    @Test
    void cnnReaches89Percent() {
        MX.seed(0);
        var r = FashionTraining.train(FashionTraining.cnn(), FashionData.get(), 4, 128, 1e-3, 0, 60000, 0, 0.89,
                line -> System.out.println("cnn " + line));
        assertTrue(r.finalAccuracy() >= 0.89, "CNN test accuracy " + r.finalAccuracy() + " after 4 epochs is below 0.89");
    }

    /**
     * 10,000 Adam steps of the MLP on real minibatches, written as a user would (no frees, no
     * scopes): the peak active memory of the last 1,000 steps is within 10% of the first 1,000's.
     */
    @Test
    void mlpTenThousandStepsHoldFlatMemory() {
        MX.seed(1);
        FashionMnist data = FashionData.get();
        UnaryModule model = FashionTraining.mlp();
        Adam opt = new Adam(1e-3);
        var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1], Reduction.MEAN));
        Array perm = MX.permutation(60000, MX.key(1)).eval();
        int n = 10_000, batch = 128, perEpoch = 60000 / batch;
        long first = 0, last = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || i == n - 1000) MX.resetPeakMemory();
            int s = (i % perEpoch) * batch;
            Array idx = MX.slice(perm, new int[] {s}, new int[] {s + batch}, new int[] {1});
            loss = FashionTraining.step(model, opt, lossAndGrad, MX.take(data.trainImages(), idx, 0), MX.take(data.trainLabels(), idx, 0));
            if (i == 999) first = MX.peakMemory();
        }
        last = MX.peakMemory();
        System.out.printf("MLP 10k steps: peak active memory first 1000 steps %.1f MB, last 1000 steps %.1f MB, final loss %.4f%n",
                first / 1e6, last / 1e6, loss);
        assertTrue(Double.isFinite(loss) && loss < 1.0, "training diverged: loss " + loss);
        assertTrue(last <= first * 1.10, "peak active memory grew from " + first + " to " + last + " bytes");
    }
}
