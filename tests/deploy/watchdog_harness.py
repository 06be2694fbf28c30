#!/usr/bin/env python3
"""The kiosk's systemd watchdog, with a small stand-in for systemd (there is no systemd as PID 1
on these machines). Usage: watchdog_harness.py KIOSK KIOSKCTL   (under xvfb-run)

What is real: the kiosk program in its window under Xvfb, its frame loop and its notify
messages (datagrams on $NOTIFY_SOCKET, sender pid from SCM_CREDENTIALS). What stands in for
systemd: this script does what kiosk.service asks systemd to do (Type=notify, WatchdogSec,
Restart=on-failure) — waits for READY=1, expects WATCHDOG=1 within the interval, and when the
pings stop, kills the kiosk (SIGABRT, then SIGKILL as systemd does) and starts it again.
Whether systemd itself honours the unit is not tested here (systemd-analyze verify checks it).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notify_socket import NotifySocket  # noqa: E402

WATCHDOG_S = 3.0  # WatchdogSec of the stand-in (the unit says 30)


def fail(msg):
    print("WATCHDOG TEST FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    kiosk, kioskctl = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="kiosk-watchdog-")
    data = os.path.join(tmp, "data")
    subprocess.run([kioskctl, "init", "--data-dir", data, "--kiosk-id", "5M0K", "--backend", "",
                    "--printer", "none"], check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(tmp, "notify")
    sock = NotifySocket(path)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)))
    log = open(os.path.join(tmp, "kiosk.log"), "ab")

    def start():
        return subprocess.Popen([kiosk, "--data-dir", data, "--windowed", "1080x1920",
                                 "--speech-wav", os.path.join(tmp, "speech.wav")],
                                env=env, stdout=log, stderr=log)

    receive = sock.receive

    def wait_for(word, pid, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = receive(max(0.01, deadline - time.monotonic()))
            if got and got[0] == pid and word in got[1].split("\n"):
                return True
        return False

    procs = []
    try:
        first = start()
        procs.append(first)
        if not wait_for("READY=1", first.pid, 30):
            fail("no READY=1 from the kiosk within 30 s")
        # Idle on its welcome screen, the loop wakes every 5 s at most: pings keep coming,
        # each within the interval (the kiosk sends one per half interval).
        pings = 0
        last = time.monotonic()
        end = last + 3 * WATCHDOG_S
        while time.monotonic() < end:
            got = receive(WATCHDOG_S)
            if got is None:
                fail("no WATCHDOG=1 within %.1f s while the kiosk ran" % WATCHDOG_S)
            if got[0] == first.pid and got[1] == "WATCHDOG=1":
                pings += 1
                last = time.monotonic()
        if pings < 3:
            fail("only %d pings in %.0f s" % (pings, 3 * WATCHDOG_S))
        print("running: %d pings in %.0f s" % (pings, 3 * WATCHDOG_S))

        # Stop the frame loop. The stand-in sees the pings stop and acts as systemd would.
        os.kill(first.pid, signal.SIGSTOP)
        stopped_at = time.monotonic()
        while True:
            got = receive(WATCHDOG_S)
            if got is None:
                break
            if got[0] == first.pid and got[1] == "WATCHDOG=1" and time.monotonic() - stopped_at > 0.5:
                fail("a SIGSTOPped kiosk still pinged")
        print("stopped: no ping for %.1f s: watchdog timeout, killing and restarting" % WATCHDOG_S)
        os.kill(first.pid, signal.SIGABRT)  # systemd's WatchdogSignal
        try:
            first.wait(timeout=2)
        except subprocess.TimeoutExpired:
            os.kill(first.pid, signal.SIGKILL)  # a stopped process takes SIGABRT only when continued
            first.wait(timeout=5)
        if first.returncode == 0:
            fail("the killed kiosk exited 0 (Restart=on-failure would not restart it)")

        second = start()
        procs.append(second)
        if not wait_for("READY=1", second.pid, 30):
            fail("the restarted kiosk sent no READY=1")
        if not wait_for("WATCHDOG=1", second.pid, WATCHDOG_S):
            fail("the restarted kiosk does not ping")
        print("restarted: pid %d ready and pinging" % second.pid)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        sock.close()
        subprocess.run(["rm", "-rf", tmp])
    print("OK: the watchdog restarts a kiosk whose frame loop is stopped")


if __name__ == "__main__":
    main()
