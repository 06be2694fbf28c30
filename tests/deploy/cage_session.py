#!/usr/bin/env python3
"""kiosk.service's command line for real: scripts/deploy/kiosk-session runs the real kiosk under
the real cage (Debian's, headless wlroots backend, pixman renderer) through Xwayland, as an
unprivileged user. Usage (as root): cage_session.py SESSION KIOSK KIOSKCTL

Checked:
  * the kiosk starts under cage and draws: READY=1 then WATCHDOG=1 arrive on $NOTIFY_SOCKET from
    the kiosk's pid (kiosk.service has NotifyAccess=all, so systemd accepts them from cage's child);
  * a crashed kiosk (SIGSEGV) makes the session exit non-zero (139), so Restart=on-failure
    restarts it — cage 0.1.4 alone exits 0 here, which is checked too, so the test shows why the
    wrapper exists;
  * a kiosk that exits 0 (the staff panel's exit) ends the session with 0: no restart;
  * cage and Xwayland are gone when the session ends.
What is not real: systemd (none as PID 1 here), a seat, a GPU and a touchscreen.
"""
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notify_socket import NotifySocket  # noqa: E402

USER = "nobody"


def fail(msg):
    print("CAGE SESSION TEST FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    session, kiosk, kioskctl = sys.argv[1:4]
    cage = shutil.which("cage")
    if not cage or not shutil.which("Xwayland"):
        print("SKIP: cage or Xwayland not installed (scripts/bootstrap.sh installs them)")
        sys.exit(77)
    if os.getuid() != 0:
        print("SKIP: needs root to run the session as an unprivileged user")
        sys.exit(77)
    user = pwd.getpwnam(USER)
    tmp = tempfile.mkdtemp(prefix="kiosk-cage-")
    os.chmod(tmp, 0o755)
    runtime = os.path.join(tmp, "run")
    data = os.path.join(tmp, "data")
    os.mkdir(runtime, 0o700)
    subprocess.run([kioskctl, "init", "--data-dir", data, "--kiosk-id", "5M0K", "--backend", "",
                    "--printer", "none"], check=True, stdout=subprocess.DEVNULL)
    for d in (runtime, data):
        subprocess.run(["chown", "-R", "%d:%d" % (user.pw_uid, user.pw_gid), d], check=True)
    path = os.path.join(tmp, "notify")
    sock = NotifySocket(path, 0o777)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": tmp,
           "XDG_RUNTIME_DIR": runtime, "RUNTIME_DIRECTORY": runtime,
           "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
           "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000", "XCURSOR_SIZE": "1",
           "KIOSK_ASSETS_DIR": os.environ.get("KIOSK_ASSETS_DIR", "")}
    log = open(os.path.join(tmp, "session.log"), "ab")

    def run_session(program):
        return subprocess.Popen(["runuser", "-u", USER, "--", "env", "-i"] +
                                ["%s=%s" % kv for kv in env.items() if kv[1]] + program,
                                stdout=log, stderr=log, start_new_session=True)

    receive = sock.receive

    def wait_ready(timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = receive(max(0.01, deadline - time.monotonic()))
            if got and "READY=1" in got[1].split("\n"):
                return got[0]
        return None

    def wait_exit(proc, timeout):
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            fail("the session did not end within %d s" % timeout)

    def leftovers(session_pid):
        out = subprocess.run(["pgrep", "-u", USER, "-f", "cage|Xwayland|" + kiosk],
                             capture_output=True, text=True).stdout.split()
        return [p for p in out if p != str(session_pid)]

    procs = []
    try:
        kiosk_cmd = [kiosk, "--data-dir", data, "--speech-wav", os.path.join(tmp, "speech.wav")]
        # 1. The kiosk under cage, then a crash.
        s1 = run_session([session] + kiosk_cmd)
        procs.append(s1)
        pid = wait_ready(60)
        if pid is None:
            log.flush()
            fail("no READY=1 from the kiosk under cage within 60 s:\n" +
                 open(os.path.join(tmp, "session.log"), errors="replace").read()[-2000:])
        got = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            got = receive(3)
            if got and got[0] == pid and got[1] == "WATCHDOG=1":
                break
        else:
            fail("the kiosk under cage sends no WATCHDOG=1")
        print("under cage: kiosk pid %d ready and pinging" % pid)
        os.kill(pid, signal.SIGSEGV)
        rc = wait_exit(s1, 30)
        if rc == 0:
            fail("a crashed kiosk ended the session with 0: systemd would not restart it")
        print("crash: the session exits %d (Restart=on-failure restarts it)" % rc)
        deadline = time.monotonic() + 10
        while leftovers(s1.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if leftovers(s1.pid):
            left = leftovers(s1.pid)
            ps = subprocess.run(["ps", "-o", "pid,args", "-p", ",".join(left)],
                                capture_output=True, text=True).stdout
            fail("cage or Xwayland outlived the session:\n" + ps)

        # 2. Why the wrapper exists: cage alone reports success for the same crash.
        s2 = run_session([cage, "-d", "--"] + kiosk_cmd)
        procs.append(s2)
        pid = wait_ready(60)
        if pid is None:
            fail("no READY=1 from the kiosk under bare cage")
        os.kill(pid, signal.SIGSEGV)
        bare = wait_exit(s2, 30)
        print("bare cage after the same crash exits %d%s" %
              (bare, " (this is what kiosk-session corrects)" if bare == 0 else ""))

        # 3. A client that ends with 0, and one that ends with 3, through the same session.
        for program, want in (([ "/bin/true"], 0), (["/bin/sh", "-c", "exit 3"], 3)):
            s = run_session([session] + program)
            procs.append(s)
            rc = wait_exit(s, 30)
            if rc != want:
                fail("%s under the session: exit %d, wanted %d" % (program, rc, want))
        print("exit codes pass through: 0 stays 0 (no restart), 3 stays 3")
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        sock.close()
        subprocess.run(["rm", "-rf", tmp])
    print("OK: kiosk-session runs the kiosk under cage and reports its crashes to systemd")


if __name__ == "__main__":
    main()
