def read_idx(path):
    """One of Fashion-MNIST's IDX files, gzipped as published or not:
    images [N, 28, 28] or labels [N], as uint8."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, rows, cols)
    if magic == 2049:
        return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8)
    raise ValueError(f"{path}: magic number {magic}, neither images (2051) nor labels (2049)")


def load_fashion_mnist(data_dir, train_limit=None, test_limit=None):
    """The four Fashion-MNIST files in data_dir, as published (nothing is
    downloaded): ((train images, labels), (test images, labels)), the
    first train_limit and test_limit examples of each (None: all)."""
    def find(name):  # name.gz as published, else name unpacked
        path = os.path.join(data_dir, name)
        for candidate in (path + ".gz", path):
            if os.path.exists(candidate):
                return candidate
        raise SystemExit(f"{path}.gz: not there (--data names the folder of the four Fashion-MNIST files)")

    def split(images, labels, limit):
        X = read_idx(find(images))
        y = read_idx(find(labels))
        return X[:limit], y[:limit].long()
    return (split("train-images-idx3-ubyte", "train-labels-idx1-ubyte", train_limit),
            split("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test_limit))


@functools.lru_cache
def bilinear_weights(side, size=28):
    """The book's resize (torchvision's Resize on PIL images: PIL's bilinear
    filter) from size to side pixels, as a [side, size] matrix of PIL's
    fixed-point weights (22 bits): a triangle with half-pixel centres,
    widened by the scale when shrinking. The playground resizes the same way
    (src/data.rs), so both see the same pixels."""
    scale = size / side
    support = max(scale, 1.0)
    weights = torch.zeros(side, size, dtype=torch.float64)
    for out in range(side):
        center = (out + 0.5) * scale
        start = max(int(center - support + 0.5), 0)
        end = min(int(center + support + 0.5), size)
        taps = [max(0.0, 1.0 - abs((x - center + 0.5) / support)) for x in range(start, end)]
        total = sum(taps)
        for x, tap in zip(range(start, end), taps):
            weights[out, x] = math.floor(tap / total * (1 << 22) + 0.5)
    return weights


def resize(images, side):
    """uint8 images [N, 28, 28] as the net's input: float32 [N, 1, side,
    side] in [0, 1], resized as the book's transforms.Resize then ToTensor
    do: a horizontal pass, then a vertical one, each rounded to 8 bits as
    PIL rounds. In float64, where these sums of integers are exact, on the
    images' device."""
    if side == images.shape[-1]:
        return images.unsqueeze(1).float() / 255
    weights = bilinear_weights(side, images.shape[-1]).to(images.device)

    def rounded(sums):  # PIL's fixed point back to 8 bits
        return torch.floor((sums + (1 << 21)) / (1 << 22)).clamp(0, 255)
    rows = rounded(images.double() @ weights.T)  # [N, 28, side]
    pixels = rounded(weights @ rows)  # [N, side, side]
    return pixels.float().unsqueeze(1) / 255
