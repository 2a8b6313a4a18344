"""`python -m deploy.province_sim --port 8010 [--fail-rate 0.3] [--demo]`: the provincial simulator as a process."""

import argparse
import threading

from deploy.province_sim.server import Faults, Province, start


def main() -> None:
    parser = argparse.ArgumentParser(prog="province_sim")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument(
        "--demo", action="store_true", help="answer each household received with a 帮扶状态 and an income verification"
    )
    args = parser.parse_args()
    province = Province(api_key=args.api_key, faults=Faults(fail_rate=args.fail_rate), react=args.demo)
    url, _ = start(province, args.host, args.port)
    print(f"province simulator on {url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
