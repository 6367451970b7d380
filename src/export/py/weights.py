# safetensors read and written in a few lines of plain Python, so the script
# needs torch only: an 8-byte little-endian header length, the header (JSON:
# each tensor's dtype, shape and byte range; "__metadata__": strings), then
# the tensors' bytes, little-endian as every machine torch runs on stores them.
SAFETENSORS_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
                      "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32,
                      "U8": torch.uint8, "BOOL": torch.bool}


def load_file(path):
    """A safetensors file's tensors, by name."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    header.pop("__metadata__", None)
    body = data[8 + size:]
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = SAFETENSORS_DTYPES[info["dtype"]]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors


def save_file(tensors, path, metadata=None):
    """tensors (float32, by name) as a safetensors file, with metadata (strings)."""
    header = {"__metadata__": metadata} if metadata else {}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().to("cpu", torch.float32).contiguous()
        raw = ctypes.string_at(tensor.data_ptr(), tensor.numel() * 4)
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the tensors start 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for raw in chunks:
            f.write(raw)


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
    # "state" lets the page say the file's line in the reader's language.
    state_kind = {"state": "untrained"} if results is None else {"state": "trained", "epochs": args.epochs}
    about = {"net": PLAYGROUND_NET, "resize": RESIZE, "description": f"{DESCRIPTION}, {state_text}",
             "state": state_kind, "training": None if results is None else training, "results": results}
    save_file(state, path, metadata={"cnnp.format_version": "1", "cnnp.about": json.dumps(about)})
