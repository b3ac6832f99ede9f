#!/usr/bin/env python3
"""One WebSocket watcher for the benchmark scripts, with the Python standard library only.

Connects over TLS to ADDRESS:PORT while sending the tenant's name in Host (and as SNI), which the JDK's WebSocket
client cannot do, and writes one JSON line per happening to stdout, each with "t" (epoch ms):
  {"event": "open", "status": 101}                      the upgrade was accepted
  {"event": "refused", "status": 4xx, "body": "..."}    it was not (exit 2)
  {"event": "message", "type": "...", "seq": N}         a text frame (the type and seq of the event it carries)
  {"event": "ping"}                                     answered with a pong
  {"event": "close", "code": 1001, "reason": "..."}     the server's close frame (answered, then exit 0)
  {"event": "eof"} / {"event": "error", "error": "..."} the connection ended without a close frame (exit 1)

Usage: ws-watch.py ADDRESS PORT HOST PATH TOKEN
"""
import base64
import json
import os
import socket
import ssl
import struct
import sys
import time


def emit(event, **fields):
    fields = {"t": int(time.time() * 1000), "event": event, **fields}
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def send_frame(sock, opcode, payload=b""):
    # Client frames are masked (RFC 6455 section 5.3).
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", n)
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def main():
    address, port, host, path, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    context = ssl.create_default_context()
    # The benchmark server's certificate is self-signed; the connection is to this machine only.
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection((address, port), timeout=10)
    sock = context.wrap_socket(raw, server_hostname=host.split(":")[0])
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Authorization: Bearer {token}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            emit("refused", status=0, body="connection closed during the handshake")
            return 2
        head += chunk
    head, rest = head.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    if status != 101:
        emit("refused", status=status, body=rest[:500].decode(errors="replace"))
        return 2
    emit("open", status=status)
    sock.settimeout(None)

    buffered = rest
    def read(n):
        nonlocal buffered
        if buffered:
            taken, buffered = buffered[:n], buffered[n:]
            return taken + (read_exact(sock, n - len(taken)) if len(taken) < n else b"")
        return read_exact(sock, n)

    fragments, fragment_opcode = b"", None
    try:
        while True:
            b0, b1 = read(2)
            fin, opcode, n = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", read(8))[0]
            mask = read(4) if b1 & 0x80 else None
            payload = read(n) if n else b""
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x0:
                fragments += payload
                if not fin:
                    continue
                opcode, payload, fragments = fragment_opcode, fragments, b""
            elif opcode in (0x1, 0x2) and not fin:
                fragments, fragment_opcode = payload, opcode
                continue
            if opcode == 0x1:
                try:
                    doc = json.loads(payload)
                    emit("message", type=doc.get("type"), seq=doc.get("seq"))
                except ValueError:
                    emit("message", type=None, text=payload[:200].decode(errors="replace"))
            elif opcode == 0x9:
                emit("ping")
                send_frame(sock, 0xA, payload)
            elif opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                emit("close", code=code, reason=payload[2:].decode(errors="replace"))
                try:
                    send_frame(sock, 0x8, payload[:2])
                except OSError:
                    pass
                return 0
    except EOFError:
        emit("eof")
    except OSError as e:
        emit("error", error=str(e))
    return 1


if __name__ == "__main__":
    sys.exit(main())
