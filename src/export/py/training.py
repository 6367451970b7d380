def start_processes(device):
    """This process's place in the run: (rank, world size, device). Under
    torchrun (which sets RANK, WORLD_SIZE and LOCAL_RANK) it joins the
    process group, nccl between GPUs and gloo on CPUs, each process on its
    own GPU; under plain python it is the only process."""
    device = torch.device(device)
    if "RANK" not in os.environ:
        return 0, 1, device
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return dist.get_rank(), dist.get_world_size(), device


def init_weights(m):
    """The book's initialisation: Xavier-uniform weights for every Linear and
    Conv2d (and zero biases, as the playground starts them)."""
    if type(m) == nn.Linear or type(m) == nn.Conv2d:
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


def make_optimizer(params, name, lr, weight_decay):
    """Plain SGD as the book trains, SGD with momentum 0.9, or Adam."""
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)


def global_batches(n, batch_size, seed, epoch):
    """The epoch's batches of example indices: the n examples shuffled by
    (seed, epoch), cut into batches of batch_size (the last may be smaller).
    The same batches in the same order for any number of processes: each
    process takes its share of every one."""
    generator = torch.Generator().manual_seed(seed + epoch)
    return torch.randperm(n, generator=generator).split(batch_size)


def evaluate_accuracy(net, images, labels, batch_size, device, rank=0, world=1):
    """The book's evaluate_accuracy_gpu: the share of the images the net
    predicts right, in eval mode. Each process takes every world-th image;
    the counts are added up over all of them."""
    net.eval()
    counts = torch.zeros(2, dtype=torch.float64, device=device)  # right, seen
    with torch.no_grad():
        for idx in torch.arange(rank, len(labels), world).split(batch_size):
            X, y = resize(images[idx].to(device), RESIZE), labels[idx].to(device)
            counts[0] += (net(X).argmax(dim=1) == y).sum()
            counts[1] += len(idx)
    if world > 1:
        dist.all_reduce(counts)
    return (counts[0] / counts[1]).item()


class SharedDropout:
    """Dropout's masks drawn for the whole global batch, from a generator
    that every process seeds alike (by the seed and the epoch), each process
    keeping its share's rows: N processes then drop what one process drops,
    and train as one. (The book's nn.Dropout draws from torch's own
    generator; this draws the same kind of mask from a shared one.)"""

    def __init__(self, net, rank, world):
        self.rank, self.world, self.batch, self.generator = rank, world, 0, None
        self.hooks = [m.register_forward_hook(self.hook) for m in net.modules() if isinstance(m, nn.Dropout)]

    def start_epoch(self, seed, epoch):
        self.generator = torch.Generator().manual_seed(seed + epoch + 2**31)

    def hook(self, module, inputs, output):
        if not module.training or module.p == 0 or module.p >= 1:
            return output
        X = inputs[0]
        keep = torch.rand((self.batch,) + tuple(X.shape[1:]), generator=self.generator) >= module.p
        return X * keep[self.rank::self.world].to(X.device, X.dtype) / (1 - module.p)

    def remove(self):
        for hook in self.hooks:
            hook.remove()


class GlobalBatchNorm(torch.autograd.Function):
    """Batch norm in training mode with its statistics over the global batch,
    for processes on CPUs (gloo), where PyTorch's SyncBatchNorm (CUDA only)
    cannot: the sums all-reduced forward and back, as SyncBatchNorm does."""

    @staticmethod
    def forward(ctx, X, weight, bias, module):
        dims = [0] + list(range(2, X.dim()))
        shape = [1, -1] + [1] * (X.dim() - 2)
        X64 = X.double()
        sums = torch.cat([X64.sum(dims), (X64 * X64).sum(dims), X.new_tensor([X.numel() / X.shape[1]], dtype=torch.float64)])
        dist.all_reduce(sums)
        C = X.shape[1]
        n = sums[-1].item()
        mean, var = sums[:C] / n, sums[C:2 * C] / n - (sums[:C] / n) ** 2
        with torch.no_grad():
            m = module.momentum
            module.running_mean.mul_(1 - m).add_(m * mean.float())
            module.running_var.mul_(1 - m).add_(m * (var * n / max(n - 1, 1)).float())
            module.num_batches_tracked += 1
        inv = (var + module.eps).rsqrt().float()
        xhat = (X - mean.float().view(shape)) * inv.view(shape)
        ctx.save_for_backward(xhat, weight, inv)
        ctx.dims, ctx.shape, ctx.n = dims, shape, n
        return xhat * weight.view(shape) + bias.view(shape)

    @staticmethod
    def backward(ctx, g):
        xhat, weight, inv = ctx.saved_tensors
        dims, shape, n = ctx.dims, ctx.shape, ctx.n
        sums = torch.stack([g.sum(dims), (g * xhat).sum(dims)])
        d_bias, d_weight = sums[0].clone(), sums[1].clone()  # this share's: DDP adds them up
        dist.all_reduce(sums)
        dX = (weight * inv).view(shape) * (g - (sums[0] / n).view(shape) - xhat * (sums[1] / n).view(shape))
        return dX, d_weight, d_bias, None


def global_batch_norm(net):
    """net's batch norms with global-batch statistics while training (CPUs,
    gloo); returns how to undo it."""
    norms = [m for m in net.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        def forward(X, m=m):
            if not m.training:
                return type(m).forward(m, X)
            return GlobalBatchNorm.apply(X, m.weight, m.bias, m)
        m.forward = forward

    def undo():
        for m in norms:
            del m.forward
    return undo


def train_ch6(net, train, test, args, device, rank=0, world=1):
    """The book's train_ch6, on one process or many: per epoch a shuffled
    pass over the training set, then the test accuracy and the book's line.
    Each step is one global batch of args.batch examples, of which this
    process takes every world-th; its summed loss is scaled so that the
    mean DistributedDataParallel takes of the processes' gradients is the
    gradient of the global batch's mean loss: the step one process takes.
    Returns the last epoch's figures."""
    (train_X, train_y), (test_X, test_y) = train, test
    model, undo_batch_norm = net, None
    if world > 1:
        # Batch norm's statistics over the global batch, as one process has them.
        if device.type == "cuda":
            model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
        else:
            undo_batch_norm = global_batch_norm(model)
        model = DDP(model, device_ids=[device.index] if device.type == "cuda" else None)
    dropout = SharedDropout(net, rank, world)
    optimizer = make_optimizer(model.parameters(), args.optimizer, args.lr, args.weight_decay)
    loss = nn.CrossEntropyLoss(reduction="sum")
    results = None
    for epoch in range(1, args.epochs + 1):
        metric = torch.zeros(3, dtype=torch.float64, device=device)  # loss sum, right, examples
        seconds = 0.0
        model.train()
        dropout.start_epoch(args.seed, epoch)
        for batch in global_batches(len(train_y), args.batch, args.seed, epoch):
            mine = batch[rank::world]
            dropout.batch = len(batch)
            X, y = resize(train_X[mine].to(device), RESIZE), train_y[mine].to(device)
            start = time.perf_counter()
            optimizer.zero_grad()
            y_hat = model(X)
            l = loss(y_hat, y)
            (l * world / len(batch)).backward()
            optimizer.step()
            with torch.no_grad():
                metric[0] += l
                metric[1] += (y_hat.argmax(dim=1) == y).sum()
                metric[2] += len(mine)
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            seconds += time.perf_counter() - start
        if world > 1:
            dist.all_reduce(metric)
            # Batch norm's running statistics are each process's own (DDP
            # hands rank 0's over as each step starts): all test rank 0's.
            for buffer in net.buffers():
                dist.broadcast(buffer, 0)
        test_acc = evaluate_accuracy(net, test_X, test_y, args.batch, device, rank, world)
        train_l, train_acc = (metric[0] / metric[2]).item(), (metric[1] / metric[2]).item()
        speed = metric[2].item() / seconds
        on = str(device) if world == 1 else f"{world} processes ({device.type})"
        results = {"epochs": epoch, "loss": train_l, "train_acc": train_acc, "test_acc": test_acc}
        if rank == 0 and args.json:
            print(json.dumps({**results, "epoch": epoch, "examples_per_s": speed, "device": on}), flush=True)
        elif rank == 0:
            print(f'epoch {epoch}: loss {train_l:.3f}, train acc {train_acc:.3f}, '
                  f'test acc {test_acc:.3f}, {speed:.1f} examples/sec on {on}', flush=True)
    dropout.remove()
    if undo_batch_norm:
        undo_batch_norm()
    return results
