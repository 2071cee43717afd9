"""Workload glow-digits (see ../shared/anchors/WORKLOADS.md) in JAX with the
whole training loop compiled. Usage:

    python glow_jax_scan.py STEPS [L K HIDDEN [CHUNK]]

This is the scan-compiled counterpart of the anchor glow_jax.py, as
realnvp_jax_scan.py is for realnvp_jax.py. Model, initialisation (including
the data-dependent ActNorm init), train/test split, dequantisation, optimiser
(gradient norm clipped at 50, then Adam 1e-3), batch size 64 and the test-bpd
evaluation are those of glow_jax.py. What changes:

- The training loop. glow_jax.py calls one jitted step per Python iteration
  and draws minibatch indices with NumPy on the host. Here one jitted call runs
  CHUNK steps (default min(200, STEPS)) with jax.lax.scan, and each step draws
  its minibatch indices and dequantisation noise on the device from a PRNG
  key; no Python runs between the steps of a chunk.
- The tensor layout: NHWC instead of NCHW, and convolutions whose backward
  pass is written out by hand (conv below). Inside a loop body XLA:CPU does
  not rewrite convolutions into the NHWC/HWIO form its fast convolution
  kernels need (its ConvCanonicalization pass visits only the entry
  computation), so NCHW convolutions, and the gradient convolutions autodiff
  derives even from NHWC ones, fall back to a naive loop nest there; a plain
  lax.scan of glow_jax.py's step ran about 4x slower than its Python loop on
  our 2-core machine. The function computed is the same: same channel order,
  parameters kept in glow_jax.py's shapes (OIHW) and initialised identically.

Timing: the compiled function is first called once for each chunk length it
will be used with (compilation plus a warm-up run whose results are thrown
away, so the model trains exactly STEPS steps from its initial state, where
glow_jax.py also keeps the update of its one warm-up step); then
the STEPS training steps are timed, up to block_until_ready on the last loss.
Initialisation, compilation and the test evaluation are not timed.
"""
import math
import sys
import time
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
import scipy.linalg
from sklearn.datasets import load_digits

jax.config.update("jax_platform_name", "cpu")

steps = int(sys.argv[1])
L = int(sys.argv[2]) if len(sys.argv) > 2 else 2
K = int(sys.argv[3]) if len(sys.argv) > 3 else 8
H = int(sys.argv[4]) if len(sys.argv) > 4 else 64
chunk = min(int(sys.argv[5]) if len(sys.argv) > 5 else 200, steps)
B = 64          # batch size
nb = 17.0       # pixel levels in load_digits (0..16)


# ---- convolution that stays fast inside lax.scan -------------------------
# Stride 1, same padding on all sides. The forward pass is an NHWC/HWIO
# convolution; the custom VJP writes both gradients as NHWC/HWIO convolutions
# too, so none needs the canonicalisation XLA:CPU skips inside loop bodies.
# (XLA still swaps the operands of the 3x3 forward convolutions at level 2,
# whose 2x2 input is smaller than the kernel, and runs those as plain loops;
# at these sizes that measured cheaper than forcing them into the fast form.)

def _conv_nhwc(x, w, pad):  # x: NHWC, w: HWIO, stride 1: the form XLA:CPU runs fast
    return jax.lax.conv_general_dilated(x, w, (1, 1), [(pad, pad), (pad, pad)],
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"))


@partial(jax.custom_vjp, nondiff_argnums=(2,))
def conv_nhwc(x, w, pad):
    return _conv_nhwc(x, w, pad)


def _conv_fwd(x, w, pad):
    return _conv_nhwc(x, w, pad), (x, w)


def _conv_bwd(pad, res, g):
    # Both gradients written as NHWC/HWIO convolutions, by transposing operands.
    x, w = res
    k = w.shape[0]
    # input gradient: full correlation of g with the flipped kernel, in/out swapped
    dx = _conv_nhwc(g, jnp.flip(w, (0, 1)).transpose(0, 1, 3, 2), k - 1 - pad)
    # kernel gradient: input channels act as the batch, the batch as the features
    dw = _conv_nhwc(x.transpose(3, 1, 2, 0), g.transpose(1, 2, 0, 3), pad)
    return dx, dw.transpose(1, 2, 0, 3)


conv_nhwc.defvjp(_conv_fwd, _conv_bwd)


def conv(x, w, b, pad):  # x: NHWC; w: OIHW as in glow_jax.py
    return conv_nhwc(x, w.transpose(2, 3, 1, 0), pad) + b


# ---- model: glow_jax.py's, in NHWC ----------------------------------------

def conv_init(key, o, i, k):  # PyTorch's default Conv2d initialisation
    bound = 1 / math.sqrt(i * k * k)
    k1, k2 = jax.random.split(key)
    return (jax.random.uniform(k1, (o, i, k, k), minval=-bound, maxval=bound),
            jax.random.uniform(k2, (o,), minval=-bound, maxval=bound))


def squeeze(x):  # 2x2 space-to-channels; channel c*4 + 2*dy + dx as in NCHW
    b, h, w, c = x.shape
    x = x.reshape(b, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(b, h // 2, w // 2, c * 4)


def init(key):
    params, c = [], 1
    for l in range(L):
        c *= 4
        level = []
        for _ in range(K):
            key, kw, k1, k2 = jax.random.split(key, 4)
            w = np.linalg.qr(np.asarray(jax.random.normal(kw, (c, c))))[0]
            P, Lm, U = scipy.linalg.lu(w)
            w1, b1 = conv_init(k1, H, c // 2, 3)
            w2, b2 = conv_init(k2, H, H, 1)
            level.append(dict(
                loc=jnp.zeros(c), logs=jnp.zeros(c),
                P=jnp.array(P), L=jnp.array(Lm), U=jnp.array(np.triu(U, 1)),
                sign=jnp.array(np.sign(np.diag(U))), logsU=jnp.array(np.log(np.abs(np.diag(U)))),
                w1=w1, b1=b1, w2=w2, b2=b2,
                w3=jnp.zeros((c, H, 3, 3)), b3=jnp.zeros(c), scale=jnp.zeros(c)))
        params.append(level)
        if l < L - 1:
            c //= 2
    return params


def step_fn(p, x):  # ActNorm -> invertible 1x1 conv -> affine coupling
    hw = x.shape[1] * x.shape[2]
    c = x.shape[3]
    x = (x + p["loc"]) * jnp.exp(p["logs"])
    ld = jnp.sum(p["logs"]) * hw
    mask = jnp.tril(jnp.ones((c, c)), -1)
    W = p["P"] @ (p["L"] * mask + jnp.eye(c)) @ (p["U"] * mask.T + jnp.diag(p["sign"] * jnp.exp(p["logsU"])))
    x = jnp.einsum("oc,bhwc->bhwo", W, x)
    ld = ld + jnp.sum(p["logsU"]) * hw
    a, b = x[..., : c // 2], x[..., c // 2:]
    h = jax.nn.relu(conv(a, p["w1"], p["b1"], 1))
    h = jax.nn.relu(conv(h, p["w2"], p["b2"], 0))
    h = conv(h, p["w3"], p["b3"], 1) * jnp.exp(p["scale"] * 3)
    shift, sc = h[..., 0::2], h[..., 1::2]
    s = jax.nn.sigmoid(sc + 2.0)
    b = (b + shift) * s
    return jnp.concatenate([a, b], -1), ld + jnp.sum(jnp.log(s), axis=(1, 2, 3))


def logp(params, x):
    ld = jnp.zeros(x.shape[0])
    total = jnp.zeros(x.shape[0])
    for l, level in enumerate(params):
        x = squeeze(x)
        for p in level:
            x, d = step_fn(p, x)
            ld = ld + d
        if l < L - 1:  # factor half of the channels out to the prior
            c = x.shape[3]
            z, x = x[..., c // 2:], x[..., : c // 2]
            total = total + jnp.sum(-0.5 * z ** 2 - 0.5 * math.log(2 * math.pi), axis=(1, 2, 3))
    total = total + jnp.sum(-0.5 * x ** 2 - 0.5 * math.log(2 * math.pi), axis=(1, 2, 3))
    return total + ld


def actnorm_init(params, x):  # data-dependent ActNorm init, level by level
    for l, level in enumerate(params):
        x = squeeze(x)
        for p in level:
            m = x.mean((0, 1, 2))
            sd = x.std((0, 1, 2), ddof=1)
            p["loc"] = -m
            p["logs"] = jnp.log(1 / (sd + 1e-6))
            x, _ = step_fn(p, x)
        if l < L - 1:
            x = x[..., : x.shape[3] // 2]
    return params


# ---- data and initial state: as in glow_jax.py --------------------------

X = load_digits().data.astype(np.float32)
rng = np.random.RandomState(0)
perm = rng.permutation(len(X))
Xtr, Xte = X[perm[:1500]], X[perm[1500:]]


def prep(x, key):  # uniform dequantisation to [-0.5, 0.5); one channel, so NCHW == NHWC
    x = jnp.asarray(x)
    return ((x + jax.random.uniform(key, x.shape)) / nb - 0.5).reshape(-1, 8, 8, 1)


params = init(jax.random.PRNGKey(0))
params = actnorm_init(params, prep(Xtr[:256], jax.random.PRNGKey(1)))
# The permutation and sign of the LU factorisation are not trained.
static_keys = ("P", "sign")
train = [[{k: v for k, v in p.items() if k not in static_keys} for p in lv] for lv in params]
fixed = [[{k: p[k] for k in static_keys} for p in lv] for lv in params]


def merge(t):
    return [[{**a, **b} for a, b in zip(lt, lf)] for lt, lf in zip(t, fixed)]


opt = optax.chain(optax.clip_by_global_norm(50.0), optax.adam(1e-3))
st = opt.init(train)


# ---- the compiled training loop ------------------------------------------

Xtr_dev = jnp.asarray(Xtr)  # the training images live on the device


def one_step(carry, key):
    """One training step; the minibatch and its noise come from `key`."""
    train, st = carry
    k_idx, k_noise = jax.random.split(key)
    idx = jax.random.randint(k_idx, (B,), 0, Xtr_dev.shape[0])  # with replacement
    xb = prep(Xtr_dev[idx], k_noise)
    loss, g = jax.value_and_grad(lambda t: -jnp.mean(logp(merge(t), xb)))(train)
    u, st = opt.update(g, st, train)
    return (optax.apply_updates(train, u), st), loss


@partial(jax.jit, static_argnums=3)
def run_chunk(train, st, key, n):
    """n training steps in one compiled call; returns the last step's loss."""
    (train, st), losses = jax.lax.scan(one_step, (train, st), jax.random.split(key, n))
    return train, st, losses[-1]


if __name__ == "__main__":
    # Chunk lengths to run: full chunks, then a shorter one if STEPS is not a multiple.
    lengths = [chunk] * (steps // chunk) + ([steps % chunk] if steps % chunk else [])

    # Compile (and run once) every distinct length; the results are discarded.
    for n in sorted(set(lengths)):
        run_chunk(train, st, jax.random.PRNGKey(99), n)[2].block_until_ready()

    key = jax.random.PRNGKey(2)
    t0 = time.perf_counter()
    for n in lengths:
        key, k = jax.random.split(key)
        train, st, loss = run_chunk(train, st, k, n)
    loss.block_until_ready()
    dt = time.perf_counter() - t0

    lp = logp(merge(train), prep(Xte, jax.random.PRNGKey(3)))
    bpd = float(jnp.mean((-lp / 64 + math.log(nb)) / math.log(2)))
    print(f"jax-scan glow L={L} K={K} H={H} steps={steps} chunk={chunk} "
          f"steps_per_s={steps / dt:.2f} test_bpd={bpd:.3f}")
