//! The output shapes of our kernels, worked out before they run: Burn's
//! fusion records an operation with its output's shape and launches it
//! later.

use burn::tensor::Shape;

/// `[N, Cout, OH, OW]` of a convolution of `x` by `weight`.
pub fn conv_output(x: &Shape, weight: &Shape, stride: usize, padding: usize) -> Shape {
    let out = |size: usize| (size + 2 * padding - weight[2]) / stride + 1;
    Shape::new([x[0], weight[0], out(x[2]), out(x[3])])
}

/// `[N, Cin, height, width]`: a convolution's input, from its weight and
/// output gradient.
pub fn conv_input(weight: &Shape, output_grad: &Shape, height: usize, width: usize) -> Shape {
    Shape::new([output_grad[0], weight[1], height, width])
}

/// `[Cout, Cin·K·K + 1]`: the weight and bias gradients side by side.
pub fn conv_weight_bias(x: &Shape, output_grad: &Shape, kernel: usize) -> Shape {
    Shape::new([output_grad[1], x[1] * kernel * kernel + 1])
}

/// `[N, C, (H-k)/s+1, (W-k)/s+1]`.
pub fn pool_output(x: &Shape, kernel: usize, stride: usize) -> Shape {
    Shape::new([
        x[0],
        x[1],
        (x[2] - kernel) / stride + 1,
        (x[3] - kernel) / stride + 1,
    ])
}

/// `[N, C, (H+2p-k)/s+1, (W+2p-k)/s+1]`: pooling of an input padded by
/// `padding` on every side.
pub fn padded_pool_output(x: &Shape, kernel: usize, stride: usize, padding: usize) -> Shape {
    let out = |size: usize| (size + 2 * padding - kernel) / stride + 1;
    Shape::new([x[0], x[1], out(x[2]), out(x[3])])
}

/// `[N, C, height, width]`.
pub fn pool_input(output_grad: &Shape, height: usize, width: usize) -> Shape {
    Shape::new([output_grad[0], output_grad[1], height, width])
}

/// `[N, out]` of `x [N, in] · weight [in, out]`.
pub fn linear_output(x: &Shape, weight: &Shape) -> Shape {
    Shape::new([x[0], weight[1]])
}

/// `[m, n]` of `op(a) · op(b)`.
pub fn matmul_output(a: &Shape, b: &Shape, transpose_a: bool, transpose_b: bool) -> Shape {
    let m = if transpose_a { a[1] } else { a[0] };
    let n = if transpose_b { b[0] } else { b[1] };
    Shape::new([m, n])
}
