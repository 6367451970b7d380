def parse_args(argv=None):
    """The command line; its defaults are the settings above."""
    parser = argparse.ArgumentParser(description=f"{DESCRIPTION} on Fashion-MNIST: the book's PyTorch code")
    parser.add_argument("--shapes", action="store_true", help="print the book's shape printout and stop")
    parser.add_argument("--data", default=DATA_DIR, metavar="DIR",
                        help="the folder of the four Fashion-MNIST files (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="default: %(default)s")
    parser.add_argument("--batch", type=int, default=BATCH_SIZE,
                        help="examples per step, over all processes (default: %(default)s)")
    parser.add_argument("--lr", type=float, default=LR, help="the learning rate (default: %(default)s)")
    parser.add_argument("--optimizer", choices=["sgd", "momentum", "adam"], default=OPTIMIZER,
                        help="default: %(default)s")
    parser.add_argument("--weight-decay", type=float, default=WEIGHT_DECAY, help="default: %(default)s")
    parser.add_argument("--train-limit", type=int, default=TRAIN_LIMIT, metavar="N",
                        help="train on the first N training images only (default: %(default)s: all)")
    parser.add_argument("--test-limit", type=int, default=TEST_LIMIT, metavar="N",
                        help="test on the first N test images only (default: %(default)s: all)")
    parser.add_argument("--seed", type=int, default=SEED, help="initial weights and shuffle (default: %(default)s)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                        help="cuda or cpu (default: %(default)s)")
    parser.add_argument("--weights", metavar="FILE", help="start from this safetensors file (ours or the book's)")
    parser.add_argument("--save", metavar="FILE", help="write the trained weights there, for the playground")
    parser.add_argument("--json", action="store_true", help="one JSON object per epoch instead of the book's line")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.shapes:
        print_shapes(net)
        return
    rank, world, device = start_processes(args.device)
    if args.batch < world:
        raise SystemExit(f"--batch {args.batch}: each of the {world} processes needs a share of every batch")
    torch.manual_seed(args.seed)
    if args.weights:
        load_weights(net, args.weights)
    else:
        net.apply(init_weights)
    torch.manual_seed(args.seed + rank)  # dropout's masks: each process its own
    net.to(device)
    train, test = load_fashion_mnist(args.data, args.train_limit, args.test_limit)
    if rank == 0 and not args.json:
        print('training on', device if world == 1 else f"{world} processes ({device.type})")
    results = train_ch6(net, train, test, args, device, rank, world)
    if args.save and rank == 0:
        save_weights(net, args.save, args, results)
        print(f"weights saved to {args.save}", file=sys.stderr)
    if dist.is_initialized():
        # Every process waits here until rank 0 has saved: gloo aborts a
        # process whose peer tears the group down while it still talks.
        dist.barrier()
        dist.destroy_process_group()
