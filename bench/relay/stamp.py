"""Follows a growing log file and writes each new line to OUT with the epoch time it arrived.

MediaMTX stamps its lines to the second only, and its runOnDemand hook's lines come through its
stdout, so bench/relay/run.sh stamps every log it reads the same way (10 ms polling).

    python3 stamp.py FILE OUT
"""
import os
import sys
import time


def main(path: str, out_path: str) -> None:
    while not os.path.exists(path):
        time.sleep(0.01)
    with open(path, "r", errors="replace") as src, open(out_path, "a") as out:
        partial = ""
        while True:
            chunk = src.readline()
            if not chunk:
                time.sleep(0.01)
                continue
            partial += chunk
            if not partial.endswith("\n"):
                continue
            out.write("%.3f %s" % (time.time(), partial))
            out.flush()
            partial = ""


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
