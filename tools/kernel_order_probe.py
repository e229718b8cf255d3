"""Minimal reproduction of the Deno Jupyter kernel's lost outputs (issue 11), for a report upstream.

    /usr/bin/python3 tools/kernel_order_probe.py [CELLS] [RUNS]      # needs Debian's python3-jupyter-client

Starts the `deno` kernelspec, executes CELLS trivial cells (`k + 1;`) per fresh kernel as a Jupyter client
does (the next request once the reply and `status: idle` are in), logs every IOPub message, and counts the
`execute_result` messages that arrive after their request's `idle`. A client takes `idle` as the end of a
cell's outputs, so nbclient/nbconvert and JupyterLab drop them. Measured on a loaded 2-core machine
(20 runs x 40 cells): Deno 2.9.6 73/800, 2.9.0 48/800; 2.7.14, 2.5.6, 2.3.7, 2.1.14 0/800 and 2.8.0
0/400 (10 runs), but 2.7.14 and 2.8.0 send a `transient: null` that crashes Debian's nbclient 0.7 on
every cell, and 2.8.3 sends no execute_result at all.

Cause (Deno 2.9.x source): cli/tools/jupyter/server.rs `publish_result` calls the JavaScript
`broadcastResult` (cli/js/40_jupyter.js), an async function, without awaiting the promise it returns, then
sends `execute_reply`, sleeps 5 ms and publishes `idle`; `broadcastResult` awaits `format(value)` before
broadcasting `execute_result`, so on a busy machine `idle` goes first. Run this file with a kernelspec that
points at another Deno (`JUPYTER_PATH=<dir with kernels/deno/kernel.json>`) to compare versions.
"""

import sys
import time

from jupyter_client import KernelManager

cells = int(sys.argv[1]) if len(sys.argv) > 1 else 40
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
late_total = 0
missing_total = 0
for run in range(runs):
    km = KernelManager(kernel_name="deno")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    log, ids = [], []
    for k in range(cells):
        mid = kc.execute(f"{k} + 1;")
        ids.append(mid)
        kc.get_shell_msg(timeout=60)
        while True:
            m = kc.get_iopub_msg(timeout=60)
            log.append((m["parent_header"].get("msg_id"), m["msg_type"], m["content"].get("execution_state")))
            if m["parent_header"].get("msg_id") == mid and m["content"].get("execution_state") == "idle":
                break
    end = time.time() + 2  # collect what arrives late
    while time.time() < end:
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            continue
        log.append((m["parent_header"].get("msg_id"), m["msg_type"], m["content"].get("execution_state")))
    late = missing = 0
    for mid in ids:
        seq = [t if s != "idle" else "idle" for (p, t, s) in log if p == mid and (t == "execute_result" or s == "idle")]
        if "execute_result" not in seq:
            missing += 1
        elif seq.index("execute_result") > seq.index("idle"):
            late += 1
    late_total += late
    missing_total += missing
    print(f"run {run + 1}: {late}/{cells} execute_result after idle, {missing} never sent", flush=True)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(f"total: {late_total}/{cells * runs} execute_result after idle, {missing_total} never sent")
