"""The limit to compare with: a bare broadcast server written with `websockets` alone.

No Django, no database, no channel layer, no persistence: every idea a client sends is
numbered and sent to every connected socket (encoded once, written to each). It speaks
the same messages as Cocon for ideas (`sync`, `contribution.create` → `ack` +
`contribution.created`), so `bench/live_ideas.py --reference` drives both
(`bench/reference.sh` starts it and runs the client).
"""

import argparse
import asyncio
import json
from datetime import UTC, datetime

from websockets.asyncio.server import ServerConnection, broadcast, serve

clients: set[ServerConnection] = set()
state = {"seq": 0, "next_id": 1}


async def handle(socket: ServerConnection) -> None:
    clients.add(socket)
    try:
        async for frame in socket:
            command = json.loads(frame)
            if command["type"] == "sync":
                await socket.send(
                    json.dumps(
                        {"type": "sync", "mode": "events", "seq": state["seq"], "events": []}
                    )
                )
            elif command["type"] == "contribution.create":
                state["seq"] += 1
                contribution_id = state["next_id"]
                state["next_id"] += 1
                event = {
                    "type": "contribution.created",
                    "seq": state["seq"],
                    "contribution": {
                        "id": contribution_id,
                        "activity_id": command["activity_id"],
                        "body": command["body"],
                        "author": None,
                        "created_at": datetime.now(UTC).isoformat(),
                    },
                }
                await socket.send(
                    json.dumps(
                        {
                            "type": "ack",
                            "request_id": command["request_id"],
                            "seq": state["seq"],
                            "result": {"contribution_id": contribution_id},
                        }
                    )
                )
                broadcast(clients, json.dumps(event))
            elif command["type"] == "ping":
                await socket.send(json.dumps({"type": "pong", "seq": state["seq"]}))
    finally:
        clients.discard(socket)


async def main(host: str, port: int) -> None:
    async with serve(handle, host, port, max_size=65536, compression=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9001)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
