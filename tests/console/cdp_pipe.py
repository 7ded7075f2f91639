"""A minimal Chrome DevTools Protocol client over --remote-debugging-pipe.

Chromium reads commands from its fd 3 and writes replies and events to its
fd 4, each message one JSON object followed by a NUL byte. No WebSocket, no
port: nothing but the two pipes of a child process.
"""

import json
import os
import queue
import subprocess
import threading
import time


class CdpError(RuntimeError):
    pass


class Chromium:
    """Headless Chromium as a child process, driven over the pipe."""

    def __init__(self, binary, profile_dir, extra_args=()):
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()

        def wire_fds():
            os.dup2(to_child_read, 3)
            os.dup2(from_child_write, 4)

        args = [
            binary, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-pipe", "--user-data-dir=" + profile_dir,
            "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1200,1400",
            *extra_args, "about:blank"
        ]
        self._process = subprocess.Popen(
            args, pass_fds=(3, 4), preexec_fn=wire_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_read)
        os.close(from_child_write)
        self._next_id = 0
        self._replies = {}
        self._replies_ready = threading.Condition()
        self.events = queue.Queue()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    def _read_loop(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._replies_ready:
                        self._replies[message["id"]] = message
                        self._replies_ready.notify_all()
                else:
                    self.events.put(message)
        with self._replies_ready:
            self._replies_ready.notify_all()

    def call(self, method, params=None, session_id=None, timeout=30):
        """Sends a command and returns its result; CdpError on an error."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method,
                   "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._replies_ready:
            while self._next_id not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    raise CdpError(f"no reply to {method} (browser gone?)")
                self._replies_ready.wait(left)
            reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except CdpError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        os.close(self._to_child)
        os.close(self._from_child)
