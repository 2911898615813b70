"""Turns bench/relay/run.sh's rounds and stamped logs into the figures and their timelines.

    python3 analyze.py WORK RESULTS_MD RUNS LOAD_BEFORE LOAD_AFTER VARIANTS

Prints the summary table and writes RESULTS_MD. Every time is in ms from the round's start (t0).
"""
import datetime
import os
import re
import statistics
import subprocess
import sys

TARGETS = {"ondemand": 1000, "wait": 600, "live": 600, "live-gst": 600, "leave": None}
FLOORS = {"ondemand": "floor-start", "wait": "floor-start", "live": "floor-live", "live-gst": "floor-live-gst"}
LEAVE_CONFIGURED_MS = 12000  # run-local.sh: runOnDemandCloseAfter 2 s + the bridge's views.linger 10 s
TITLES = {
    "ondemand": "idle robot: player opens the RTSP URL -> first decoded frame",
    "wait": "`POST /robots/default/stream/start?wait=PT10S` -> answer -> open RTSP once -> first frame",
    "live": "open RTSP on a live stream -> first frame",
    "live-gst": "open RTSP on a live stream -> first frame, GStreamer's User-Agent (1 s SETUP hold)",
    "leave": "last viewer leaves -> robot idle",
    "floor-start": "floor: bare gst-launch launched -> MediaMTX `is publishing` -> open RTSP -> first frame",
    "floor-live": "floor: open RTSP on the bare publisher's live stream -> first frame",
    "floor-live-gst": "floor: open RTSP on the bare publisher's live stream, GStreamer's User-Agent",
}
MID_LABELS = {"wait": "client: POST ?wait answered", "floor-start": "bench: MediaMTX `is publishing` seen, reader launched"}
# (log, pattern, label): the first matching line inside a round is a milestone.
MILESTONES = [
    ("mediamtx", r"\[RTSP\] \[conn [^\]]+\] opened", "MediaMTX: first RTSP connection opened"),
    ("bridge", r"RelayApi - Relay: refused read .*no viewer credentials", "bridge: 401 to the reader (no credentials yet)"),
    ("bridge", r"RelayApi - Relay: allowed read", "bridge: reader allowed (first)"),
    ("mediamtx", r"runOnDemand command started", "MediaMTX: runOnDemand hook started"),
    ("bridge", r"ViewLeases - View opened", "bridge: view lease opened (hook)"),
    ("agent", r"command received: start", "agent: start command received"),
    ("agent", r"launching gst-launch", "agent: gst-launch launched"),
    ("mediamtx", r"\[(RTMP|SRT)\] \[conn [^\]]+\] opened", "MediaMTX: RTMP/SRT publisher connected"),
    ("bridge", r"RelayApi - Relay: allowed publish", "bridge: publish allowed"),
    ("agent", r"starting -> streaming", "agent: streaming (progressreport: media flowing)"),
    ("mediamtx", r"stream is available and online", "MediaMTX: path ready (stream available)"),
    ("mediamtx", r"is publishing to path", "MediaMTX: `is publishing`"),
    ("bridge", r"RelayApi - Relay: path .* is available", "bridge: relay reports the path available (runOnAvailable)"),
    ("mediamtx", r"is reading from path", "MediaMTX: reader is reading (PLAY)"),
]
ACCESS = re.compile(r'"POST /relay/auth HTTP/[0-9.]+" (\d+) \d+ (\d+)')


def load(path):
    lines = []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                stamp, _, text = line.partition(" ")
                try:
                    lines.append((float(stamp), text.rstrip("\n")))
                except ValueError:
                    pass
    return lines


def stats(values):
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt(s):
    return "-" if s is None else "%.2f s (%.2f-%.2f)" % (s[0] / 1000, s[1] / 1000, s[2] / 1000)


def main(work, results_md, runs, load_before, load_after, variants):
    rounds = []
    with open(os.path.join(work, "rounds.tsv")) as f:
        for line in f:
            variant, figure, rnd, t0, t1, ok, mid = line.rstrip("\n").split("\t")
            rounds.append(dict(variant=variant, figure=figure, round=int(rnd), t0=float(t0), t1=float(t1),
                               ok=ok == "1", mid=None if mid == "-" else float(mid)))
    variants = variants.split()
    logs = {v: {name: load(os.path.join(work, "%s.%s.log" % (v, name))) for name in ("mediamtx", "bridge", "agent")}
            for v in variants}

    def times(variant, figure):
        return [1000 * (r["t1"] - r["t0"]) for r in rounds if r["variant"] == variant and r["figure"] == figure and r["ok"]]

    def failures(variant, figure):
        return sum(1 for r in rounds if r["variant"] == variant and r["figure"] == figure and not r["ok"])

    out = []
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(results_md)), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    out.append("## Relay figures (MediaMTX 1.20.1, the whole local loop)\n")
    out.append("`bench/relay/run.sh %s` on %s (commit %s): %d cores, load average %s before and %s after "
               "(other engineers' builds and tests shared the machine). Each figure: median (min-max) over %s rounds; "
               "the client is `gst-launch-1.0 rtspsrc protocols=tcp latency=0 user-agent=vigil-bench ! rtph264depay ! "
               "h264parse ! avdec_h264 output-corrupt=false ! identity eos-after=1 ! fakesink`, timed from its launch "
               "to its exit: its first whole decoded frame, so a joiner waits for a keyframe. Each figure includes the "
               "client's own start-up (about 0.1-0.2 s), which the floor includes too. MediaMTX holds any SETUP from a "
               "User-Agent starting with `GStreamer` for 1 s (gortsplib issue 752); the `-gst` rows show that.\n"
               % (runs, when, commit, os.cpu_count(), load_before, load_after, runs))
    out.append("Floor: a bare `gst-launch-1.0 -e` of the same template (same defaults, same publish URL and "
               "credentials) launched by hand into the same MediaMTX; the reader is opened the moment MediaMTX logs "
               "`is publishing` (floor-start), or on the running stream (floor-live). The relay asks the bridge about "
               "the floor's publish and read too, so the floor includes the bridge's relay-auth cost.\n")
    for v in variants:
        out.append("### Variant `%s`\n" % v)
        out.append("| figure | median (min-max) | floor | target | failed rounds |")
        out.append("|---|---|---|---|---|")
        for figure in ("ondemand", "wait", "live", "live-gst", "leave"):
            values = times(v, figure)
            if not values and not failures(v, figure):
                continue
            if figure == "leave":
                floor = "%.1f s configured (close-after 2 s + linger 10 s)" % (LEAVE_CONFIGURED_MS / 1000)
                target = "12 s +- 1 s"
            else:
                floor = fmt(stats(times(v, FLOORS[figure])))
                target = "<= %.1f s" % (TARGETS[figure] / 1000)
            out.append("| %s | %s | %s | %s | %d |" % (TITLES[figure], fmt(stats(values)), floor, target, failures(v, figure)))
        out.append("")
    chromium = os.path.join(work, "chromium.tsv")
    if os.path.exists(chromium):
        by = {}
        with open(chromium) as f:
            for line in f:
                label, ms = line.split()
                by.setdefault(label, []).append(float(ms))
        out.append("### Chromium (e2e GoLiveBench: Go Live click on the idle robot -> first presented frame, `requestVideoFrameCallback`; its own VigilSystem; the robot publishes over RTSP (labels `-rtsp`) or RTMP)\n")
        out.append("| figure | median (min-max) | runs | target | left out (0 ms: no frame time recorded) |")
        out.append("|---|---|---|---|---|")
        for label, target in (("webrtc", "<= 1.0 s"), ("hls", "<= 3.0 s"), ("webrtc-rtsp", "<= 1.0 s"), ("hls-rtsp", "<= 3.0 s")):
            if label in by:
                good = [ms for ms in by[label] if ms > 0]
                out.append("| Go Live -> first frame, %s | %s | %d | %s | %d |"
                           % (label, fmt(stats(good)), len(good), target, len(by[label]) - len(good)))
        out.append("")
    summary = "\n".join(out)

    detail = ["### Timelines (median ms from the round's start; n = rounds in which the event was seen)\n"]
    for v in variants:
        for figure in ("ondemand", "wait", "live", "live-gst", "floor-start", "floor-live", "floor-live-gst"):
            rs = [r for r in rounds if r["variant"] == v and r["figure"] == figure and r["ok"]]
            if not rs:
                continue
            rows = {}
            auth = {"401": [], "2xx": [], "count": []}
            for r in rs:
                lo, hi = r["t0"], r["t1"] + 0.05
                for source, pattern, label in MILESTONES:
                    for stamp, text in logs[v][source]:
                        if lo <= stamp <= hi and re.search(pattern, text):
                            rows.setdefault(label, []).append(1000 * (stamp - lo))
                            break
                if r["mid"] is not None and figure in MID_LABELS:
                    rows.setdefault(MID_LABELS[figure], []).append(1000 * (r["mid"] - lo))
                rows.setdefault("client: first frame decoded, client exited", []).append(1000 * (r["t1"] - lo))
                n = 0
                for stamp, text in logs[v]["bridge"]:
                    m = ACCESS.search(text)
                    if m and lo <= stamp <= hi:
                        n += 1
                        auth["401" if m.group(1) == "401" else "2xx"].append(int(m.group(2)) / 1000)
                auth["count"].append(n)
            detail.append("#### `%s`: %s\n" % (v, TITLES[figure]))
            detail.append("| event | median ms | min-max | n |")
            detail.append("|---|---|---|---|")
            for label, values in sorted(rows.items(), key=lambda kv: statistics.median(kv[1])):
                s = stats(values)
                detail.append("| %s | %.0f | %.0f-%.0f | %d |" % (label, s[0], s[1], s[2], len(values)))
            detail.append("")
            detail.append("Relay auth calls per round (`POST /relay/auth`, publish and read): median %s (min %s, max %s); "
                          "401 answers took median %s ms, allowed ones median %s ms each (bridge access log).\n"
                          % (statistics.median(auth["count"]), min(auth["count"]), max(auth["count"]),
                             "%.0f" % statistics.median(auth["401"]) if auth["401"] else "-",
                             "%.0f" % statistics.median(auth["2xx"]) if auth["2xx"] else "-"))
    text = summary + "\n" + "\n".join(detail)
    print(summary)
    # A hand-written analysis below the marker survives a re-run.
    marker = "<!-- analysis: written by hand, kept by analyze.py -->"
    kept = ""
    if os.path.exists(results_md):
        with open(results_md) as f:
            old = f.read()
        if marker in old:
            kept = old[old.index(marker):]
    text = text + "\n" + (kept or marker + "\n")
    with open(results_md, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main(*sys.argv[1:7])
