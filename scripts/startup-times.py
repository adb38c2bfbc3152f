#!/usr/bin/env python3
"""Start-up times of duckbatch commands, interleaved (docs/benchmarks.md, "Start-up").

    python3 scripts/startup-times.py ROUNDS LABEL='COMMAND' [LABEL='COMMAND' ...]

Runs every command once per round, in the given order, ROUNDS times (interleaved, so that a
noisy machine disturbs all of them alike), and prints per label the medians of:

- wall: seconds from launch to exit;
- CPU: CPU seconds (user + sys) the process used until it exited;
- first page: for a command that runs a job, seconds from launch until a keyset reader
  logged its first page (the first "read its first page" line in <data-dir>/duckbatch.log:
  give the command --duckbatch.data-dir=... and
  --logging.level.io.duckbatch.core.read.KeysetItemReader=DEBUG), and the CPU seconds the
  process had used by then. On a shared machine the CPU seconds move less than the wall
  time. Such a command is then stopped with SIGTERM (the job ends STOPPED at its next chunk
  boundary); its wall and CPU are not reported.

In a command, {n} is replaced by a number unique to the run (for a fresh target file).
Output is discarded; a command that fails stops the script.
"""
import os
import re
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import time

FIRST_PAGE = "read its first page"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a live process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run_to_first_page(command, log):
    offset = os.path.getsize(log) if os.path.exists(log) else 0
    launched = time.time()
    process = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = None
    while found is None and process.poll() is None:
        time.sleep(0.005)
        if os.path.exists(log) and os.path.getsize(log) > offset:
            with open(log, encoding="utf-8", errors="replace") as lines:
                lines.seek(offset)
                if FIRST_PAGE in lines.read():
                    try:
                        found = (time.time() - launched, cpu_seconds(process.pid))
                    except OSError:
                        pass
    if found is None:
        sys.exit(f"no first page before exit {process.returncode}: {command}")
    process.send_signal(signal.SIGTERM)
    process.wait()
    return found


def run_to_exit(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    launched = time.time()
    done = subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.time() - launched
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"exit {done.returncode}: {command}\n{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    rounds = int(sys.argv[1])
    commands = [spec.split("=", 1) for spec in sys.argv[2:]]
    results = {label: [] for label, _ in commands}
    run = 0
    for _ in range(rounds):
        for label, command in commands:
            run += 1
            concrete = command.replace("{n}", str(run))
            data_dir = re.search(r"--duckbatch\.data-dir=(\S+)", concrete)
            if FIRST_PAGE_FLAG in concrete and data_dir:
                results[label].append(run_to_first_page(concrete, os.path.join(data_dir.group(1), "duckbatch.log")))
            else:
                results[label].append(run_to_exit(concrete))
    load = os.getloadavg()
    print(f"# {rounds} rounds, interleaved; load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| command | wall s or s to first page (median) | CPU s (median) | all runs (s, CPU s) |")
    print("|---|---|---|---|")
    for label, _ in commands:
        runs = results[label]
        print(f"| {label} | {statistics.median(r[0] for r in runs):.2f} | {statistics.median(r[1] for r in runs):.2f} | "
              + ", ".join(f"{r[0]:.2f} ({r[1]:.2f})" for r in runs) + " |")


FIRST_PAGE_FLAG = "--logging.level.io.duckbatch.core.read.KeysetItemReader=DEBUG"

if __name__ == "__main__":
    main()
