#!/usr/bin/env python3
"""Steady HTTPS load for the reliability script, with the Python standard library only, one line per request.

GET threads each keep one keep-alive connection and send GET PATH back to back; an optional writer sends
POST POST_PATH {"name": "<prefix><n>"} every POST_INTERVAL seconds with a fresh n. Every request becomes one
tab-separated line in OUT: start_ms, end_ms, method, status (0 = no answer), latency_ms, Retry-After, the error
envelope's code, the name posted, the id created, and the exception when there was no answer. A request that gets
no answer within TIMEOUT seconds counts as a hang. The load stops once the file STOP exists.

Usage: http-load.py ADDRESS PORT HOST TOKEN GET_PATH THREADS OUT STOP [POST_PATH POST_INTERVAL PREFIX] [TIMEOUT]
"""
import http.client
import json
import os
import ssl
import sys
import threading
import time

lock = threading.Lock()


def now_ms():
    return int(time.time() * 1000)


def main():
    address, port, host, token, get_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    threads, out_path, stop_path = int(sys.argv[6]), sys.argv[7], sys.argv[8]
    post_path = sys.argv[9] if len(sys.argv) > 9 and sys.argv[9] else None
    post_interval = float(sys.argv[10]) if len(sys.argv) > 10 else 0.2
    prefix = sys.argv[11] if len(sys.argv) > 11 else "rel-"
    timeout = float(sys.argv[12]) if len(sys.argv) > 12 else 15.0
    # The benchmark server's certificate is self-signed; the traffic goes to this machine only.
    context = ssl._create_unverified_context()
    out = open(out_path, "a", buffering=1)
    headers = {"Host": host, "Authorization": "Bearer " + token}

    def record(start, method, status, retry_after="", code="", name="", created="", error=""):
        end = now_ms()
        line = "\t".join(str(x) for x in (start, end, method, status, end - start, retry_after, code, name, created,
                                          error.replace("\t", " ").replace("\n", " ")[:200]))
        with lock:
            out.write(line + "\n")

    def send(conn, method, path, body=None):
        h = dict(headers)
        if body is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        code = ""
        created = ""
        try:
            doc = json.loads(data) if data else {}
            code = (doc.get("error") or {}).get("code", "") if isinstance(doc, dict) else ""
            created = doc.get("id", "") if isinstance(doc, dict) and response.status == 201 else ""
        except ValueError:
            code = "not-json"
        return response.status, response.getheader("Retry-After") or "", code, created

    def connect():
        return http.client.HTTPSConnection(address, port, context=context, timeout=timeout)

    def get_loop():
        conn = connect()
        while not os.path.exists(stop_path):
            start = now_ms()
            try:
                status, retry_after, code, _ = send(conn, "GET", get_path)
                record(start, "GET", status, retry_after, code)
            except Exception as e:  # no answer: reset, refused, timeout
                record(start, "GET", 0, error=type(e).__name__ + ": " + str(e))
                conn.close()
                conn = connect()
                time.sleep(0.05)

    def post_loop():
        conn = connect()
        n = 0
        while not os.path.exists(stop_path):
            n += 1
            name = "%s%05d" % (prefix, n)
            start = now_ms()
            try:
                status, retry_after, code, created = send(conn, "POST", post_path, json.dumps({"name": name}))
                record(start, "POST", status, retry_after, code, name, created)
            except Exception as e:
                record(start, "POST", 0, name=name, error=type(e).__name__ + ": " + str(e))
                conn.close()
                conn = connect()
            time.sleep(post_interval)

    workers = [threading.Thread(target=get_loop, daemon=True) for _ in range(threads)]
    if post_path:
        workers.append(threading.Thread(target=post_loop, daemon=True))
    for w in workers:
        w.start()
    for w in workers:
        w.join()


if __name__ == "__main__":
    main()
