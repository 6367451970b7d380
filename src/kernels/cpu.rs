//! The sigmoid on Burn's CPU backend (flex), our own.
//!
//! Why: Burn's CPU sigmoid calls the scalar `expf` once per element, on one
//! thread, and its backward computes the sigmoid again before a second
//! scalar pass. In LeNet and BN-LeNet the first sigmoid sees 256 × 6 × 28 × 28
//! values a step: in the browser that was 26 of LeNet's 117 ms a step
//! (BENCHMARKS.md, "The CPU backend on threads"). Here the exponential is a
//! branch-free polynomial, written in simd128 lanes for the browser (and
//! left to the compiler's vectoriser natively); the output is kept for the
//! backward pass instead of being computed again; and where the build has
//! threads each pass is split over rayon's pool.

use burn::backend::autodiff::Autodiff;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::{Flex, FlexTensor};
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, DType, backend_extension};
use burn::tensor::TensorData;

/// The sigmoid and its gradient, where our CPU code runs them.
#[backend_extension(Autodiff, Flex)]
pub trait CpuSigmoid: Backend {
    /// `1 / (1 + e^-x)`, elementwise.
    fn cpu_sigmoid(x: FloatTensor<Self>) -> FloatTensor<Self>;

    /// The gradient through a sigmoid from its `output` `s`: `grad · s · (1 − s)`.
    fn cpu_sigmoid_backward(output: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self>;
}

// Cephes' `expf`, within 2 ulp for `x` in [-87.3, 88.3]: `x` split as
// `n·ln 2 + r`, a degree-6 polynomial for `e^r`, and `2^n` written into the
// exponent bits; branch-free, so that it runs four lanes at a time.
const LOG2_E: f32 = std::f32::consts::LOG2_E;
// ln 2 in two parts, so that n · LN2_HI is exact.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
// 1.5 · 2^23: adding it rounds to an integer, which then sits in the low
// bits of the sum (no float-to-int conversion).
const ROUND: f32 = 12_582_912.0;
const EXP_MIN: f32 = -87.3;
const EXP_MAX: f32 = 88.3;
const POLY: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    1.666_666_5e-1,
    0.5,
];

#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(EXP_MIN, EXP_MAX);
    let t = x * LOG2_E + ROUND;
    let n = t - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = POLY[1..].iter().fold(POLY[0], |p, c| p * r + c);
    let e_r = p * r * r + r + 1.0;
    // 2^n: n + 127 in the exponent bits.
    let two_to_n = t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127) << 23;
    e_r * f32::from_bits(two_to_n)
}

#[inline(always)]
fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// The same four lanes at a time, in WebAssembly SIMD: the browser's build
/// is optimised for size, which leaves loops unvectorised, so this says it.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    #[inline(always)]
    fn exp(x: v128) -> v128 {
        let x = f32x4_min(
            f32x4_max(x, f32x4_splat(super::EXP_MIN)),
            f32x4_splat(super::EXP_MAX),
        );
        let t = f32x4_add(
            f32x4_mul(x, f32x4_splat(super::LOG2_E)),
            f32x4_splat(super::ROUND),
        );
        let n = f32x4_sub(t, f32x4_splat(super::ROUND));
        let r = f32x4_sub(
            f32x4_sub(x, f32x4_mul(n, f32x4_splat(super::LN2_HI))),
            f32x4_mul(n, f32x4_splat(super::LN2_LO)),
        );
        let mut p = f32x4_splat(super::POLY[0]);
        for c in &super::POLY[1..] {
            p = f32x4_add(f32x4_mul(p, r), f32x4_splat(*c));
        }
        let e_r = f32x4_add(f32x4_add(f32x4_mul(f32x4_mul(p, r), r), r), f32x4_splat(1.0));
        let bits = i32x4_sub(t, i32x4_splat(super::ROUND.to_bits() as i32));
        let two_to_n = i32x4_shl(i32x4_add(bits, i32x4_splat(127)), 23);
        f32x4_mul(e_r, two_to_n)
    }

    /// `out[i] = sigmoid(x[i])` for the leading multiple of four; returns
    /// how many it did.
    pub fn sigmoid(x: &[f32], out: &mut [f32]) -> usize {
        let one = f32x4_splat(1.0);
        for (x, out) in x.chunks_exact(4).zip(out.chunks_exact_mut(4)) {
            // SAFETY: both chunks hold four f32; v128 loads need no alignment.
            unsafe {
                let v = v128_load(x.as_ptr() as *const v128);
                let s = f32x4_div(one, f32x4_add(one, exp(f32x4_neg(v))));
                v128_store(out.as_mut_ptr() as *mut v128, s);
            }
        }
        x.len() / 4 * 4
    }

    /// `grad[i] *= s[i] · (1 − s[i])` for the leading multiple of four.
    pub fn sigmoid_backward(s: &[f32], grad: &mut [f32]) -> usize {
        let one = f32x4_splat(1.0);
        for (s, g) in s.chunks_exact(4).zip(grad.chunks_exact_mut(4)) {
            // SAFETY: as above.
            unsafe {
                let s = v128_load(s.as_ptr() as *const v128);
                let g_v = v128_load(g.as_ptr() as *const v128);
                let out = f32x4_mul(g_v, f32x4_mul(s, f32x4_sub(one, s)));
                v128_store(g.as_mut_ptr() as *mut v128, out);
            }
        }
        s.len() / 4 * 4
    }
}

/// Without WebAssembly SIMD the loops below do it all: natively they are
/// built at full optimisation, where the compiler vectorises them itself.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod simd {
    pub fn sigmoid(_: &[f32], _: &mut [f32]) -> usize {
        0
    }

    pub fn sigmoid_backward(_: &[f32], _: &mut [f32]) -> usize {
        0
    }
}

/// `out[i] = sigmoid(x[i])`.
fn sigmoid_into(x: &[f32], out: &mut [f32]) {
    let done = simd::sigmoid(x, out);
    for (x, out) in x[done..].iter().zip(&mut out[done..]) {
        *out = sigmoid(*x);
    }
}

/// `grad[i] *= s[i] · (1 − s[i])`.
fn sigmoid_backward_into(s: &[f32], grad: &mut [f32]) {
    let done = simd::sigmoid_backward(s, grad);
    for (s, g) in s[done..].iter().zip(&mut grad[done..]) {
        *g *= s * (1.0 - s);
    }
}

/// Below this many values a pass stays on one thread: handing work to the
/// pool costs more than it saves.
#[cfg(feature = "threads")]
const PARALLEL_MIN: usize = 1 << 15;

/// Runs `f(input chunk, output chunk)` over matching chunks, on the pool's
/// threads where the build has them.
fn for_chunks(input: &[f32], output: &mut [f32], f: impl Fn(&[f32], &mut [f32]) + Sync + Send) {
    #[cfg(feature = "threads")]
    if output.len() >= PARALLEL_MIN {
        use rayon::prelude::*;
        let chunk = output.len().div_ceil(rayon::current_num_threads() * 4).max(4096);
        output
            .par_chunks_mut(chunk)
            .zip(input.par_chunks(chunk))
            .for_each(|(output, input)| f(input, output));
        return;
    }
    f(input, output);
}

/// `x` with its values contiguous from the start of its storage.
pub(super) fn contiguous(x: FlexTensor) -> FlexTensor {
    let plain = x.is_contiguous() && x.layout().start_offset() == 0;
    if plain { x } else { x.to_contiguous() }
}

impl CpuSigmoid for Flex {
    fn cpu_sigmoid(x: FlexTensor) -> FlexTensor {
        if x.dtype() != DType::F32 {
            return <Flex as burn::backend::ops::ActivationOps<Flex>>::sigmoid(x);
        }
        let n = x.layout().num_elements();
        let shape = x.layout().shape().clone();
        let x = contiguous(x);
        // A new tensor rather than writing in place: the input is often
        // shared (autodiff keeps it), and a copy first would cost a pass.
        let mut out = vec![0.0f32; n];
        for_chunks(&x.storage::<f32>()[..n], &mut out, sigmoid_into);
        FlexTensor::from_data(TensorData::new(out, shape))
    }

    fn cpu_sigmoid_backward(output: FlexTensor, grad: FlexTensor) -> FlexTensor {
        let same = output.dtype() == DType::F32
            && grad.dtype() == DType::F32
            && output.layout().shape() == grad.layout().shape();
        if !same {
            return <Flex as burn::backend::ops::ActivationOps<Flex>>::sigmoid_backward(output, grad);
        }
        let n = grad.layout().num_elements();
        let output = contiguous(output);
        let mut grad = contiguous(grad);
        // `storage_mut` copies the gradient first only if it is shared.
        let g: &mut [f32] = &mut grad.storage_mut::<f32>()[..n];
        for_chunks(&output.storage::<f32>()[..n], g, sigmoid_backward_into);
        grad
    }
}

#[derive(Debug)]
struct SigmoidBackward;

impl<B: CpuSigmoid> Backward<B, 1> for SigmoidBackward {
    /// The sigmoid's output, kept rather than computed again.
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [parent] = ops.parents;
        let grad = grads.consume::<B>(&ops.node);
        if let Some(node) = parent {
            grads.register::<B>(node.id, B::cpu_sigmoid_backward(ops.state, grad));
        }
    }
}

impl<B: CpuSigmoid, C: CheckpointStrategy> CpuSigmoid for Autodiff<B, C> {
    fn cpu_sigmoid(x: FloatTensor<Self>) -> FloatTensor<Self> {
        match SigmoidBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let output = B::cpu_sigmoid(x.into_primitive());
                prep.finish(output.clone(), output)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::cpu_sigmoid(x.into_primitive())),
        }
    }

    // The gradient is not differentiated again.
    fn cpu_sigmoid_backward(output: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self> {
        FloatTensor::<Self>::new(B::cpu_sigmoid_backward(
            output.into_primitive(),
            grad.into_primitive(),
        ))
    }
}
