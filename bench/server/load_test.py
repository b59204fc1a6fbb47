#!/usr/bin/env python3
"""Load figures for a running `dancedynamics serve` (standard library only).

  python3 bench/server/load_test.py --url http://127.0.0.1:7860 health --connections 64 --seconds 10
  python3 bench/server/load_test.py --url http://127.0.0.1:7860 uploads --file clip.mp4 --clients 50
  python3 bench/server/load_test.py --url http://127.0.0.1:7860 websockets --file clip.mp4 --clients 100

health: keep-alive GET /health from N connections; prints requests/s and latency percentiles.
uploads: N simultaneous multipart uploads of one file; prints status counts and MB/s, and the
  server's RSS growth when --pid is given. websockets: N WebSocket clients on one session, then
  analyze; prints how many received `complete`.
"""
import argparse
import asyncio
import base64
import json
import os
import statistics
import time
import urllib.parse


def parse_url(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port or 80


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def health(host, port, connections, seconds):
    latencies, deadline = [], time.perf_counter() + seconds
    request = f"GET /health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()

    async def client():
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status, _, _ = await read_response(reader)
            if status != 200:
                raise RuntimeError(f"/health answered {status}")
            latencies.append(time.perf_counter() - started)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(f"health: {len(latencies)} requests in {elapsed:.1f} s = {len(latencies) / elapsed:.0f} req/s, "
          f"latency p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, max {latencies[-1] * 1000:.2f} ms "
          f"({connections} connections)")


async def upload(host, port, path):
    boundary = "ddLoadTest" + os.urandom(8).hex()
    size = os.path.getsize(path)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            "Content-Type: video/mp4\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((f"POST /api/upload HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
                  f"Content-Length: {len(head) + size + len(tail)}\r\nConnection: close\r\n\r\n").encode() + head)
    try:
        with open(path, "rb") as file:
            while chunk := file.read(256 * 1024):
                writer.write(chunk)
                await writer.drain()
        writer.write(tail)
        await writer.drain()
    except ConnectionError:
        pass  # refused early: the answer is still readable
    status, _, body = await read_response(reader)
    writer.close()
    return status, json.loads(body)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def uploads(host, port, path, clients, pid):
    before = rss_kib(pid) if pid else 0
    started = time.perf_counter()
    results = await asyncio.gather(*(upload(host, port, path) for _ in range(clients)), return_exceptions=True)
    elapsed = time.perf_counter() - started
    counts = {}
    for result in results:
        key = result[0] if isinstance(result, tuple) else type(result).__name__
        counts[key] = counts.get(key, 0) + 1
    megabytes = clients * os.path.getsize(path) / 1e6
    print(f"uploads: {clients} x {os.path.getsize(path) / 1e6:.1f} MB in {elapsed:.1f} s = {megabytes / elapsed:.0f} MB/s; "
          f"statuses {counts}" + (f"; server RSS {before} -> {rss_kib(pid)} KiB" if pid else ""))
    return [result[1]["session_id"] for result in results if isinstance(result, tuple) and result[0] == 200]


async def websocket_messages(host, port, session_id, ready, complete_counter):
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /ws/{session_id} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await reader.readuntil(b"\r\n\r\n")
    ready.release()
    while True:
        first, second = await reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(await reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await reader.readexactly(8), "big")
        payload = await reader.readexactly(length)
        if first & 0x0F == 0x8:  # close
            break
        message = json.loads(payload)
        if message.get("type") in ("complete", "error"):
            if message["type"] == "complete":
                complete_counter.append(1)
            break
    writer.close()


async def websockets(host, port, path, clients, timeout_s):
    session_ids = await uploads(host, port, path, 1, None)
    session_id = session_ids[0]
    ready, completed = asyncio.Semaphore(0), []
    tasks = [asyncio.create_task(websocket_messages(host, port, session_id, ready, completed)) for _ in range(clients)]
    for _ in range(clients):
        await ready.acquire()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"POST /api/analyze/{session_id} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n".encode())
    status, _, _ = await read_response(reader)
    writer.close()
    started = time.perf_counter()
    await asyncio.wait(tasks, timeout=timeout_s)
    print(f"websockets: analyze answered {status}; {len(completed)}/{clients} clients received complete "
          f"within {time.perf_counter() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    sub = parser.add_subparsers(dest="command", required=True)
    h = sub.add_parser("health")
    h.add_argument("--connections", type=int, default=64)
    h.add_argument("--seconds", type=float, default=10)
    u = sub.add_parser("uploads")
    u.add_argument("--file", required=True)
    u.add_argument("--clients", type=int, default=50)
    u.add_argument("--pid", type=int, help="server process id, to report its RSS growth")
    w = sub.add_parser("websockets")
    w.add_argument("--file", required=True)
    w.add_argument("--clients", type=int, default=100)
    w.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    host, port = parse_url(args.url)
    if args.command == "health":
        asyncio.run(health(host, port, args.connections, args.seconds))
    elif args.command == "uploads":
        asyncio.run(uploads(host, port, args.file, args.clients, args.pid))
    else:
        asyncio.run(websockets(host, port, args.file, args.clients, args.timeout))


if __name__ == "__main__":
    main()
