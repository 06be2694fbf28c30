"""systemd's notify socket, as the deploy tests' stand-in for systemd reads it: a datagram socket
that receives READY=1 / WATCHDOG=1 with the sender's pid (SCM_CREDENTIALS)."""
import os
import socket
import struct


class NotifySocket:
    def __init__(self, path, mode=None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        if mode is not None:
            os.chmod(path, mode)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)

    def receive(self, timeout):
        """(pid, message) or None when nothing came within timeout seconds."""
        self.sock.settimeout(timeout)
        try:
            msg, anc, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
        except socket.timeout:
            return None
        pid = None
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid, _, _ = struct.unpack("iII", payload[:12])
        return pid, msg.decode()

    def close(self):
        self.sock.close()
