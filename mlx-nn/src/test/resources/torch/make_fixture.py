#!/usr/bin/python3
"""Writes the PyTorch fixtures CheckpointsTest reads (run with Debian's python3-torch; committed output).

small_cnn.npz     state_dict of SmallCnn (conv1, bn1, conv2, fc), float32, PyTorch layouts
small_cnn_io.npz  input (2, 1, 5, 5) NCHW and the eval-mode output (2, 5)
mlp_seq.npz       state_dict of nn.Sequential(Linear(3,4), ReLU(), Linear(4,2)) (keys 0.*, 2.*)
mlp_seq_io.npz    input (3, 3) and output (3, 2)
"""
import numpy as np
import torch

torch.manual_seed(0)


class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 3, 3, padding=1)
        self.bn1 = torch.nn.BatchNorm2d(3)
        self.conv2 = torch.nn.Conv2d(3, 2, 3)
        self.fc = torch.nn.Linear(2, 5)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.conv2(x).mean((2, 3))
        return self.fc(x)


m = SmallCnn()
with torch.no_grad():  # non-trivial running statistics
    m.bn1.running_mean.uniform_(-0.5, 0.5)
    m.bn1.running_var.uniform_(0.5, 1.5)
m.eval()
x = torch.randn(2, 1, 5, 5)
y = m(x).detach()
np.savez("small_cnn.npz", **{k: v.numpy() for k, v in m.state_dict().items()})
np.savez("small_cnn_io.npz", input=x.numpy(), output=y.numpy())

s = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
xs = torch.randn(3, 3)
np.savez("mlp_seq.npz", **{k: v.detach().numpy() for k, v in s.state_dict().items()})
np.savez("mlp_seq_io.npz", input=xs.numpy(), output=s(xs).detach().numpy())
