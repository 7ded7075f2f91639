#!/usr/bin/env python3
"""The web console end to end, in headless Chromium (docs/console.md).

Starts the real daemon on free loopback ports with three models: the
example half_plus_two (written by tools' write_example_model),
../shared/models/tfdeploy_keras_mnist_tf113 (a dense MNIST softmax over
[-1, 784]) and ../shared/models/mlnet_mnist_conv_model (a CNN over
[-1, 28, 28, 1]). It opens http://127.0.0.1:<rest port>/ in headless Chromium driven
over the DevTools pipe (cdp_pipe.py), and checks what a person would see:

  - the page lists the models with their states;
  - a digit of ../shared/data/mnist_digits.json, written as a PNG, uploaded
    to the MNIST model's image input (scaled to 0..1, flattened column by
    column as R does) shows the digit's class, twice;
  - the CNN's [N, H, W, C] input gets the image editor by default, and a
    digit written at twice the size (56 x 56) is resized in the browser to
    28 x 28 and classified;
  - the curl and Python calls for that request are shown;
  - half_plus_two's regress form sends the tf.Example {x: 2.0} and shows 3.

A JavaScript exception, console error or browser log error (a blocked
resource, a CSP violation) fails the test. A screenshot is saved as
<build>/test_artifacts/console.png. Exit code 77 (CTest: skipped) when
chromium or ../shared is missing, saying which.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp_pipe import CdpError, Chromium  # noqa: E402

SKIP = 77
MNIST_MODEL = "tfdeploy_keras_mnist_tf113"
CONV_MODEL = "mlnet_mnist_conv_model"


def skip(reason):
    print(f"SKIPPED: {reason}")
    sys.exit(SKIP)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_gray_png(path, pixels, width, height):
    """An 8-bit grayscale PNG of row-major `pixels` (0..255)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(
        b"\0" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                             0, 0, 0)))
        out.write(chunk(b"IDAT", zlib.compress(rows)))
        out.write(chunk(b"IEND", b""))


def upscale(pixels, width, factor):
    """Row-major `pixels` of a width x width image, each pixel repeated into
    a factor x factor block."""
    return [pixels[(y // factor) * width + x // factor]
            for y in range(width * factor) for x in range(width * factor)]


def start_daemon(build_dir, scratch, mnist_dir, conv_dir):
    example = os.path.join(scratch, "half_plus_two")
    subprocess.run([os.path.join(build_dir, "tools", "write_example_model"),
                    "--output_dir=" + os.path.join(example, "1")],
                   check=True, stdout=subprocess.DEVNULL)
    config = os.path.join(scratch, "models.config")
    with open(config, "w") as out:
        out.write("model_config_list {\n")
        for name, base in (("half_plus_two", example), ("mnist", mnist_dir),
                           ("mnist_conv", conv_dir)):
            out.write(f'  config {{ name: "{name}" base_path: "{base}" '
                      'model_platform: "tensorflow" }\n')
        out.write("}\n")
    rest_port = free_port()
    log = open(os.path.join(scratch, "daemon.log"), "w")
    daemon = subprocess.Popen(
        [os.path.join(build_dir, "daemon", "model_server"),
         f"--port={free_port()}", f"--rest_api_port={rest_port}",
         "--model_config_file=" + config],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise RuntimeError("model_server exited: " +
                               open(log.name).read()[-2000:])
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{rest_port}/v1/models", timeout=5) as r:
                models = json.load(r)["models"]
            states = [v["state"] for m in models
                      for v in m["model_version_status"]]
            if len(models) == 3 and states == ["AVAILABLE"] * len(states):
                return daemon, rest_port
        except OSError:
            pass
        time.sleep(0.2)
    daemon.kill()
    raise RuntimeError("model_server did not make all models AVAILABLE")


class Page:
    """One tab, with every JavaScript error it reports collected."""

    def __init__(self, browser):
        self.browser = browser
        target = browser.call("Target.createTarget", {"url": "about:blank"})
        self.session = browser.call(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.errors = []

    def call(self, method, params=None):
        return self.browser.call(method, params, session_id=self.session)

    def collect_errors(self):
        while not self.browser.events.empty():
            event = self.browser.events.get()
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get(
                    "description", details.get("text"))
                self.errors.append(f"exception: {text}")
            elif (method == "Runtime.consoleAPICalled" and
                  params.get("type") in ("error", "assert")):
                args = [a.get("value", a.get("description"))
                        for a in params.get("args", [])]
                self.errors.append(f"console.{params['type']}: {args}")
            elif (method == "Log.entryAdded" and
                  params["entry"]["level"] == "error"):
                entry = params["entry"]
                self.errors.append(
                    f"log: {entry['text']} {entry.get('url', '')}")
        if self.errors:
            raise AssertionError("JavaScript errors on the page:\n  " +
                                 "\n  ".join(self.errors))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True,
            "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: "
                                 f"{result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.collect_errors()
            try:
                value = self.evaluate(expression)
            except CdpError:  # no page context yet (still navigating)
                value = None
            if value:
                return value
            time.sleep(0.05)
        shown = self.evaluate("document.body?.innerText ?? ''")
        raise AssertionError(f"timed out waiting for {what}: {expression}\n"
                             f"The page shows:\n{shown[:3000]}")

    def set_file(self, selector, path):
        found = self.call("Runtime.evaluate",
                          {"expression": f"document.querySelector({selector!r})"})
        object_id = found["result"].get("objectId")
        if not object_id:
            raise AssertionError(f"no element {selector}")
        self.call("DOM.setFileInputFiles",
                  {"files": [path], "objectId": object_id})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot",
                         {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as out:
            out.write(base64.b64decode(data["data"]))


def send_digit(page, model, png, label):
    """Uploads `png` to the open model's serving_default image input, sends
    it and checks the class shown."""
    section = 'section[data-signature="serving_default"]'
    page.set_file(f"{section} input[type=file][name=image]", png)
    # The change event decodes the image; Send waits for it.
    page.evaluate(f"document.querySelector('{section} .result')"
                  ".replaceChildren()")
    page.evaluate(f"document.querySelector('{section} button.send').click()")
    shown = page.wait_for(
        f"document.querySelector('{section} .result .top-class')"
        "?.dataset.class", f"the class of digit {label}")
    if shown != str(label):
        error = page.evaluate(f"document.querySelector('{section} .result')"
                              ".innerText")
        raise AssertionError(f"digit {label}: page shows class {shown}: "
                             f"{error}")
    print(f"{model}, digit {label}: the page shows class {shown}")


def choose(page, selector, value):
    """Picks `value` in the <select> matching `selector`, as a user would."""
    page.evaluate(f"""(() => {{
        const s = document.querySelector({selector!r});
        s.value = {value!r};
        s.dispatchEvent(new Event('change')); }})()""")


def run(args, chromium, model_dirs, digits, scratch):
    daemon, rest_port = start_daemon(args.build_dir, scratch, *model_dirs)
    browser = Chromium(chromium, os.path.join(scratch, "profile"))
    try:
        page = Page(browser)
        page.call("Page.navigate", {"url": f"http://127.0.0.1:{rest_port}/"})
        page.wait_for("document.querySelectorAll('button.model-link').length "
                      "== 3", "the model list")
        states = page.evaluate(
            "[...document.querySelectorAll('#models-table .state')]"
            ".map(s => s.textContent)")
        assert states == ["1: AVAILABLE"] * 3, states
        print("the page lists half_plus_two, mnist and mnist_conv, "
              "all AVAILABLE")

        page.evaluate("document.querySelector('[data-model=mnist]').click()")
        page.wait_for("!!document.querySelector('select.input-mode')",
                      "the MNIST signature form")
        # The model was trained in R, which flattens the 28x28 pixels column
        # by column.
        choose(page, "select.input-mode", "image")
        choose(page, "select[name=order]", "columns")
        for label, pixels in digits:
            png = os.path.join(scratch, f"digit_{label}.png")
            write_gray_png(png, pixels, 28, 28)
            send_digit(page, "mnist", png, label)
        snippets = page.evaluate(
            "[...document.querySelectorAll('pre.snippet')]"
            ".map(p => p.textContent)")
        assert len(snippets) == 2, snippets
        assert snippets[0].startswith("curl -X POST"), snippets[0]
        assert "/v1/models/mnist:predict" in snippets[0], snippets[0]
        assert "urllib.request" in snippets[1], snippets[1]
        print("the curl and Python calls are shown")
        os.makedirs(os.path.dirname(args.screenshot), exist_ok=True)
        page.screenshot(args.screenshot)
        print(f"screenshot: {args.screenshot}")

        page.evaluate(
            "document.querySelector('[data-model=mnist_conv]').click()")
        page.wait_for("document.querySelector('#model-title').textContent "
                      "== 'mnist_conv' && "
                      "!!document.querySelector('select.input-mode')",
                      "the CNN's signature form")
        mode = page.evaluate("document.querySelector('select.input-mode')"
                             ".value")
        assert mode == "image", f"[N, 28, 28, 1] input opens in {mode} mode"
        choose(page, "select[name=scale]", "0..255")
        label, pixels = digits[0]
        png = os.path.join(scratch, f"digit_{label}_56.png")
        write_gray_png(png, upscale(pixels, 28, 2), 56, 56)
        send_digit(page, "mnist_conv", png, label)

        page.evaluate(
            "document.querySelector('[data-model=half_plus_two]').click()")
        regress = 'section[data-signature="regress_x_to_y"]'
        page.wait_for(f"!!document.querySelector('{regress} .feature')",
                      "the regress form")
        page.evaluate(f"""(() => {{
            const row = document.querySelector('{regress} .feature');
            row.querySelector('[name=feature]').value = 'x';
            row.querySelector('[name=values]').value = '2';
            document.querySelector('{regress} button.send').click(); }})()""")
        value = page.wait_for(
            f"document.querySelector('{regress} table.values tbody td + td')"
            "?.textContent", "the regression result")
        assert value == "3", value
        print("regress_x_to_y of the tf.Example {x: 2.0} shows 3")
        page.collect_errors()
    finally:
        browser.close()
        daemon.terminate()
        daemon.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build_dir", required=True)
    parser.add_argument("--shared_dir", required=True)
    parser.add_argument("--screenshot", required=True)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    chromium = next(filter(None, (shutil.which(b) for b in (
        "chromium", "chromium-browser", "google-chrome"))), None)
    if chromium is None:
        skip("chromium is not installed (tools/install_deps.sh --test "
             "installs it): the web console is not tested")
    model_dirs = [os.path.abspath(os.path.join(args.shared_dir, "models", m))
                  for m in (MNIST_MODEL, CONV_MODEL)]
    digits_file = os.path.join(args.shared_dir, "data", "mnist_digits.json")
    for needed in model_dirs + [digits_file]:
        if not os.path.exists(needed):
            skip(f"{needed} is absent: the web console is not tested")
    with open(digits_file) as f:
        all_digits = json.load(f)["digits"]
    # Two digits, so one right answer is not luck.
    digits = [(d["label"], d["pixels"]) for d in (
        next(d for d in all_digits if d["label"] == 7),
        next(d for d in all_digits if d["label"] == 2))]
    with tempfile.TemporaryDirectory(prefix="console_test.") as scratch:
        run(args, chromium, model_dirs, digits, scratch)
    print("PASSED")


if __name__ == "__main__":
    main()
