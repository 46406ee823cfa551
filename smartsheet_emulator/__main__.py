"""`python -m smartsheet_emulator --port PORT --world NAME`: serve a world on loopback until stopped."""

from __future__ import annotations

import argparse
import sys
import threading

from .clock import Clock
from .server import Emulator, FaultPlan
from .world import DEFAULT_TOKEN
from .worlds import WORLDS, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartsheet_emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--world", default="demo", choices=sorted(WORLDS))
    parser.add_argument("--rate-limit", type=int, default=300, help="requests per window per token (0: off)")
    parser.add_argument("--rate-window", type=float, default=60.0, help="seconds in the rate-limit window")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests given a fault")
    parser.add_argument("--fault-seed", type=int, default=0)
    parser.add_argument("--retry-after", action="store_true", help="send Retry-After on 429s")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer (network stand-in)")
    parser.add_argument("--live-clock", action="store_true", help="follow real time instead of a frozen clock")
    host = parser.add_mutually_exclusive_group()
    host.add_argument("--only", choices=["429", "503"], help="answer every request with this error (a host that is down)")
    host.add_argument("--hang", action="store_true", help="accept connections and never answer")
    host.add_argument("--proxy-page", action="store_true", help="answer every request 200 with an HTML page")
    host.add_argument("--refuse", action="store_true", help="print an address where nothing listens, and exit")
    args = parser.parse_args(argv)
    if args.refuse or args.hang or args.proxy_page:
        return _other_host(args)
    kinds: tuple[str, ...] = FaultPlan().kinds
    if args.only:
        args.fault_rate, kinds = 1.0, ("429",) if args.only == "429" else ("503_4001",)
    clock = Clock() if args.live_clock else None
    world = build(args.world, clock=clock)
    if args.live_clock:
        world.clock = Clock()
    emulator = Emulator(
        world,
        port=args.port,
        rate_limit=args.rate_limit or None,
        rate_window=args.rate_window,
        faults=FaultPlan(rate=args.fault_rate, seed=args.fault_seed, kinds=kinds),
        retry_after=args.retry_after,
        latency=args.latency,
    )
    print(f"base_url={emulator.base_url}", flush=True)
    print(f"token={DEFAULT_TOKEN}", flush=True)
    print(f"world={world.name} sheets={len(world.sheets)}", file=sys.stderr, flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _other_host(args: argparse.Namespace) -> int:
    """A host that is not Smartsheet, for trying what `check` says about it."""
    from .hosts import HangingHost, ProxyPageHost, closed_port

    if args.refuse:
        print(f"base_url=http://127.0.0.1:{closed_port()}/2.0", flush=True)
        return 0
    host = (HangingHost() if args.hang else ProxyPageHost()).start()
    print(f"base_url={host.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    host.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
