"""`python -m smartsheet_emulator --port PORT --world NAME`: serve a world on loopback until stopped.

It starts by saying what it serves: the address and token (as `base_url=` / `token=` lines, for
scripts), the world's workspaces, and a connector config ready to paste. `--print-config` writes
only that config (for `--port`, default 8080) and exits.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading

from .clock import Clock
from .server import Emulator, FaultPlan, connector_config
from .world import World
from .worlds import WORLDS, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartsheet_emulator", description=__doc__)
    parser.add_argument(
        "--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one; 8080 with --print-config)"
    )
    parser.add_argument(
        "--print-config", action="store_true", help="write the connector config for this world and port, and exit"
    )
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
    if args.print_config:
        port = 8080 if args.port is None else args.port
        print(json.dumps(connector_config(build(args.world), f"http://127.0.0.1:{port}/2.0"), indent=2))
        return 0
    if args.port is None:
        args.port = 0
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
    print(banner(world, emulator.base_url), flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def banner(world: World, base_url: str) -> str:
    """What a person needs to point the connector at this world."""
    lines = [f"base_url={base_url}", f"token={world.token}", f"world {world.name}:"]
    for workspace in world.workspaces.values():
        count = sum(1 for sheet in world.sheets.values() if sheet.workspace_id == workspace.id and not sheet.deleted)
        lines.append(f"  workspace {workspace.id} {workspace.name!r}: {count} sheets")
    config = json.dumps(connector_config(world, base_url))
    lines += ["config (save as my-config.json, then: make sync CONFIG=my-config.json):", f"  {config}"]
    return "\n".join(lines)


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
