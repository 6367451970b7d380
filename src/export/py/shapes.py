def print_shapes(net, side=RESIZE):
    """The book's shape printout: each top-level layer's output for one
    image. In eval mode: on one example, BatchNorm1d has no batch statistics."""
    net.eval()
    X = torch.rand(size=(1, 1, side, side), dtype=torch.float32)
    with torch.no_grad():
        for layer in net:
            X = layer(X)
            print(layer.__class__.__name__, 'output shape:\t', X.shape)
