def file_name(name):
    """A state_dict name as our weights files write it."""
    for torch_part, file_part in FILE_NAMES:
        name = name.replace(torch_part, file_part)
    return name


def torch_name(name):
    """A name in our weights files as this net's state_dict has it."""
    for torch_part, file_part in FILE_NAMES:
        name = name.replace(file_part, torch_part)
    return name


def load_weights(net, path):
    """A safetensors weights file into net: ours (the playground's page or
    cnnp saved it) or one saved from the book's net. Strict: every name and
    shape must match."""
    net.load_state_dict({torch_name(name): tensor for name, tensor in load_file(path).items()})


def save_weights(net, path, args, results):
    """net's weights as the playground reads them: the state_dict's tensors
    in F32 under our files' names (batch norm's num_batches_tracked left
    out), with what the page shows of a file: the net, its input size, how
    it was trained and to what (results: train_ch6's)."""
    state = {file_name(name): tensor.detach().float().cpu().contiguous()
             for name, tensor in net.state_dict().items() if not name.endswith("num_batches_tracked")}
    training = {"net": PLAYGROUND_NET, "epochs": args.epochs, "lr": args.lr, "batch_size": args.batch,
                "resize": RESIZE, "optimizer": args.optimizer, "weight_decay": args.weight_decay,
                "seed": args.seed, "train_limit": args.train_limit, "test_limit": args.test_limit}
    state_text = "untrained" if results is None else (
        "trained 1 epoch in PyTorch" if args.epochs == 1 else f"trained {args.epochs} epochs in PyTorch")
    about = {"net": PLAYGROUND_NET, "resize": RESIZE, "description": f"{DESCRIPTION}, {state_text}",
             "training": None if results is None else training, "results": results}
    save_file(state, path, metadata={"cnnp.format_version": "1", "cnnp.about": json.dumps(about)})
