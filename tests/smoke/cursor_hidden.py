#!/usr/bin/env python3
"""No pointer on a touchscreen kiosk: the real kiosk, full screen in kiosk mode under Xvfb, shows
an invisible cursor over its window, while the same kiosk in a --windowed development window
shows a visible one (so the check can tell them apart), and KIOSK_SHOW_CURSOR=1 keeps it.
The cursor image is read from the X server with XFixesGetCursorImage (ctypes, libXfixes).
Usage (under xvfb-run): cursor_hidden.py KIOSK KIOSKCTL
"""
import ctypes
import os
import subprocess
import sys
import tempfile
import time


class CursorImage(ctypes.Structure):
    _fields_ = [("x", ctypes.c_short), ("y", ctypes.c_short),
                ("width", ctypes.c_ushort), ("height", ctypes.c_ushort),
                ("xhot", ctypes.c_ushort), ("yhot", ctypes.c_ushort),
                ("cursor_serial", ctypes.c_ulong),
                ("pixels", ctypes.POINTER(ctypes.c_ulong)),
                ("atom", ctypes.c_ulong), ("name", ctypes.c_char_p)]


def fail(msg):
    print("CURSOR TEST FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


x11 = ctypes.CDLL("libX11.so.6")
xfixes = ctypes.CDLL("libXfixes.so.3")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
x11.XFree.argtypes = [ctypes.c_void_p]
xfixes.XFixesGetCursorImage.restype = ctypes.POINTER(CursorImage)
xfixes.XFixesGetCursorImage.argtypes = [ctypes.c_void_p]


def visible_pixels():
    """How many pixels of the current cursor image are not fully transparent."""
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        fail("cannot open the X display")
    img = xfixes.XFixesGetCursorImage(dpy)
    if not img:
        fail("XFixesGetCursorImage failed")
    c = img.contents
    n = sum(1 for i in range(c.width * c.height) if (c.pixels[i] >> 24) & 0xFF)
    x11.XFree(img)
    x11.XCloseDisplay(dpy)
    return n


def run(kiosk, data, args, env_extra, tmp):
    probe = os.path.join(tmp, "probe.txt")
    if os.path.exists(probe):
        os.remove(probe)
    env = dict(os.environ, KIOSK_PROBE_FILE=probe, **env_extra)
    p = subprocess.Popen([kiosk, "--data-dir", data, "--speech-wav", os.path.join(tmp, "s.wav")] + args,
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if os.path.exists(probe) and "welcome_pakn" in open(probe).read():
                break
            if p.poll() is not None:
                fail("the kiosk exited early (%s)" % args)
            time.sleep(0.1)
        else:
            fail("the kiosk never drew its welcome screen (%s)" % args)
        win = subprocess.run(["xdotool", "search", "--sync", "--limit", "1", "--name", "Ki-ốt"],
                             capture_output=True, text=True, timeout=20).stdout.split()
        if not win:
            fail("no kiosk window")
        # Over the middle of the window, and a little move so the server updates the cursor.
        subprocess.run(["xdotool", "mousemove", "--window", win[0], "--sync", "500", "900"], check=True)
        subprocess.run(["xdotool", "mousemove", "--window", win[0], "--sync", "510", "910"], check=True)
        time.sleep(0.5)
        return visible_pixels()
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    kiosk, kioskctl = sys.argv[1:3]
    tmp = tempfile.mkdtemp(prefix="kiosk-cursor-")
    data = os.path.join(tmp, "data")
    subprocess.run([kioskctl, "init", "--data-dir", data, "--kiosk-id", "5M0K", "--backend", "",
                    "--printer", "none"], check=True, stdout=subprocess.DEVNULL)
    try:
        windowed = run(kiosk, data, ["--windowed", "1080x1920"], {}, tmp)
        if windowed == 0:
            fail("the windowed kiosk's cursor is invisible too: the check cannot tell them apart")
        kiosk_mode = run(kiosk, data, [], {}, tmp)
        if kiosk_mode != 0:
            fail("full screen in kiosk mode the cursor shows %d pixels" % kiosk_mode)
        shown = run(kiosk, data, [], {"KIOSK_SHOW_CURSOR": "1"}, tmp)
        if shown == 0:
            fail("KIOSK_SHOW_CURSOR=1 did not keep the cursor")
    finally:
        subprocess.run(["rm", "-rf", tmp])
    print("OK: cursor hidden in kiosk mode (windowed: %d visible pixels, kiosk mode: 0, "
          "KIOSK_SHOW_CURSOR=1: %d)" % (windowed, shown))


if __name__ == "__main__":
    main()
