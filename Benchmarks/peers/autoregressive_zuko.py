"""Workloads maf-2d and nsf-2d (see Benchmarks/README.md) with zuko on PyTorch
eager: the peer a student would reach for. Usage:

    python autoregressive_zuko.py maf|nsf THREADS STEPS

Five autoregressive layers on 2-D moons (20,000 training points, 5,000 fresh
test points), MADE hidden layers (64, 64), orders alternating, standard normal
base; Adam 1e-3, batches of 256 drawn with replacement. maf: zuko's affine
transform; nsf: its rational-quadratic spline, 8 bins on [-5, 5].
Prints training steps per second after a warm-up step, and the test NLL."""
import sys, time
import torch, zuko
from sklearn.datasets import make_moons

kind = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 500
torch.set_num_threads(threads)
torch.manual_seed(0)
if kind == "maf":
    flow = zuko.flows.MAF(features=2, transforms=5, hidden_features=(64, 64))
elif kind == "nsf":
    flow = zuko.flows.NSF(features=2, transforms=5, bins=8, hidden_features=(64, 64))
else:
    sys.exit("usage: autoregressive_zuko.py maf|nsf THREADS STEPS")
opt = torch.optim.Adam(flow.parameters(), lr=1e-3)
X = torch.tensor(make_moons(n_samples=20000, noise=0.05, random_state=0)[0], dtype=torch.float32)
Xtest = torch.tensor(make_moons(n_samples=5000, noise=0.05, random_state=1)[0], dtype=torch.float32)

def step(x):
    loss = -flow().log_prob(x).mean()
    opt.zero_grad(); loss.backward(); opt.step()

step(X[:256])  # warm-up step
t0 = time.perf_counter()
for _ in range(steps):
    step(X[torch.randint(0, X.shape[0], (256,))])
dt = time.perf_counter() - t0
with torch.no_grad():
    test = -flow().log_prob(Xtest).mean().item()
print(f"zuko-{kind} threads={threads} steps={steps} steps_per_s={steps/dt:.1f} test_nll={test:.4f}")
