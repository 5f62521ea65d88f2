"""Runs mtprotoproxy (the PyPI package, installed in a throwaway venv) so
that it forwards to localdc on loopback and never contacts anything else.

usage: python mtproxy_launcher.py SCRIPT CONFIG DCS
  SCRIPT  path of the installed mtprotoproxy.py
  CONFIG  a mtprotoproxy config file (PORT, USERS, TLS_DOMAIN, ...)
  DCS     comma-separated localdc ports of DC 1..5, e.g. 4001,4002,4003,4004,4005

The package's own main() cannot run on current Python (it passes loop= to
asyncio.start_server) and starts tasks that reach the internet (public-IP
lookup, time sync, mask-host certificate). This launcher loads the module,
replaces its DC table with localdc's loopback endpoints, and starts only the
listener.
"""

import asyncio
import importlib.util
import sys

script, config_path, dc_ports = sys.argv[1], sys.argv[2], sys.argv[3]
ports = [int(p) for p in dc_ports.split(",")]

# The module reads its config path from argv at import and init time.
sys.argv = [script, config_path]
spec = importlib.util.spec_from_file_location("mtprotoproxy", script)
mtp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mtp)
mtp.init_config()
cfg = mtp.config

# DC n of the proxy's table is localdc's DC n on 127.0.0.1.
names = ["localdc-dc%d" % (i + 1) for i in range(len(ports))]
mtp.TG_DATACENTERS_V4 = names
mtp.TG_DATACENTERS_V6 = names
route = dict(zip(names, ports))
real_open = mtp.open_connection_tryer


async def open_to_localdc(addr, port, limit, timeout, max_attempts=3):
    if addr not in route:
        raise OSError("refusing to connect outside loopback: %s" % addr)
    return await real_open("127.0.0.1", route[addr], limit, timeout, max_attempts)


mtp.open_connection_tryer = open_to_localdc
# Python 3.11 moved this exception out of asyncio.streams.
if not hasattr(asyncio.streams, "IncompleteReadError"):
    asyncio.streams.IncompleteReadError = asyncio.IncompleteReadError
# No public-IP lookup: loopback only.
mtp.my_ip_info = {"ipv4": "127.0.0.1", "ipv6": None}
mtp.init_stats()


async def serve():
    server = await asyncio.start_server(
        mtp.handle_client_wrapper, cfg.LISTEN_ADDR_IPV4, cfg.PORT,
        limit=mtp.get_to_tg_bufsize())
    print("mtprotoproxy listening on %s:%d" % (cfg.LISTEN_ADDR_IPV4, cfg.PORT), flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(serve())
