#!/usr/bin/env python3
"""The deployment test's HTTP proxy: the only way out of its private network, for apt.

    lab-proxy.py NETNS_FILE ADDRESS PORT

Listens on ADDRESS:PORT inside the network namespace NETNS_FILE (the test's lab network, where the
booted hosts live) and opens its upstream connections from the namespace it was started in (this
machine's network, which reaches the Debian mirror). The hosts' apt uses it as its http proxy, as a
new machine on a network with a proxy would. Plain HTTP only (apt's transport), no CONNECT; each
client connection goes to the host named by its first request. Stops on SIGTERM or SIGINT.
"""

import ctypes
import os
import signal
import socket
import sys
import threading
from urllib.parse import urlsplit

CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if LIBC.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    head = b""
    try:
        while b"\r\n\r\n" not in head and len(head) < 65536:
            data = client.recv(65536)
            if not data:
                client.close()
                return
            head += data
        line, _, rest = head.partition(b"\r\n")
        method, target, version = line.decode("latin-1").split(" ", 2)
        url = urlsplit(target)
        if url.scheme != "http" or not url.hostname:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection((url.hostname, url.port or 80), timeout=30)
        upstream.settimeout(None)
        origin = (url.path or "/") + ("?" + url.query if url.query else "")
        upstream.sendall(("%s %s %s\r\n" % (method, origin, version)).encode("latin-1") + rest)
    except (OSError, ValueError) as e:
        sys.stderr.write("lab-proxy: %s\n" % e)
        try:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass
        client.close()
        return
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    pipe(client, upstream)


def main():
    netns, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    lab = os.open(netns, os.O_RDONLY)
    setns(lab)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, port))
    server.listen(64)
    setns(home)  # upstream sockets (made by the threads below) belong to this machine's network
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.stderr.write("lab-proxy: listening on %s:%d in %s\n" % (address, port, netns))
    sys.stderr.flush()
    try:
        while True:
            client, _ = server.accept()
            threading.Thread(target=serve, args=(client,), daemon=True).start()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
