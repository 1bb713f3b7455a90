"""End-to-end: the HTML report in real headless Chromium, driven over the DevTools protocol.

Skipped (with the reason) only when Chromium or websocket-client is missing; `.ci/run`
installs Debian's chromium. The screenshot is saved to tests/artifacts/report.png.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from extractor.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
SEED = ROOT / "corpus" / "seed-report.txt"

websocket = pytest.importorskip("websocket", reason="websocket-client not installed (pip install '.[test]')")


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium with one page, spoken to over CDP (no Node, no Selenium)."""

    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="extractor-chromium-")
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                "--remote-debugging-port=0", "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}", "--window-size=1200,900", "about:blank"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.time() > deadline:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as f:
                    targets = [t for t in json.load(f) if t.get("type") == "page"]
                if targets:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                self.close()
                raise RuntimeError("no page target in chromium")
            time.sleep(0.05)
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self._id = 0
        self.events = []

    def send(self, method, **params):
        self._id += 1
        my = self._id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, method, timeout=30):
        for i, ev in enumerate(self.events):
            if ev["method"] == method:
                return self.events.pop(i)
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == method:
                return msg
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def js(self, expression):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def open(self, path):
        self.events.clear()
        self.send("Page.navigate", url=Path(path).resolve().as_uri())
        self.wait_event("Page.loadEventFired")
        time.sleep(0.2)  # let late console messages and requests arrive
        self.js("1")

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    def errors(self):
        out = []
        for e in self.events:
            p = e["params"]
            if e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert", "warning"):
                out.append(p)
            elif e["method"] == "Runtime.exceptionThrown":
                out.append(p)
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append(p["entry"])
            elif e["method"] == "Network.loadingFailed":
                out.append(p)
        return out

    def close(self):
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    try:
        b = Browser(exe)
    except (RuntimeError, OSError) as e:
        pytest.skip(f"Chromium could not be started: {e}")
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.send(f"{domain}.enable")
    b.send("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1, mobile=False)
    yield b
    b.close()


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "seed.html"
    assert cli_main(["report", str(SEED), "-o", str(out)]) == 0
    return out


def test_seed_report_in_chromium(browser, seed_html):
    browser.open(seed_html)
    assert browser.js("document.documentElement.getAttribute('data-ready')") == "1"
    # no network: the only request is the file itself
    assert [u for u in browser.requests() if not u.startswith("file:")] == []
    assert browser.errors() == []
    n_marks = browser.js("document.querySelectorAll('.text mark.q').length")
    n_rows = browser.js("document.querySelectorAll('table.records tbody tr').length")
    assert n_marks == n_rows == 69
    # the duplicate half: struck through, collapsed, without mentions
    assert browser.js("document.querySelectorAll('details.removed').length") == 1
    assert browser.js("document.querySelector('details.removed').open") is False
    assert browser.js("document.querySelectorAll('details.removed mark.q').length") == 0
    assert browser.js("document.querySelector('details.removed del').textContent.length") > 2000
    # hovering a mention shows its value
    mark = browser.js("""(() => { const m = document.querySelectorAll('.text mark.q')[6];
        m.scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, text: m.textContent,
                value: m.dataset.value, metric: m.dataset.metric}; })()""")
    assert browser.js("document.getElementById('tip').hidden") is True
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=mark["x"], y=mark["y"])
    tip = browser.js("(() => { const t = document.getElementById('tip'); "
                     "return {hidden: t.hidden, text: t.innerText, "
                     "visible: getComputedStyle(t).display !== 'none' && t.offsetHeight > 0}; })()")
    assert tip["hidden"] is False and tip["visible"]
    assert mark["value"] in tip["text"] and (mark["metric"] or "") in tip["text"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = browser.send("Page.captureScreenshot", format="png")
    (ARTIFACTS / "report-hover.png").write_bytes(base64.b64decode(shot["data"]))
    # the README picture: the whole marked text down to the collapsed duplicate, a target hovered
    bottom = browser.js("window.scrollTo(0, 0); "
                        "document.querySelector('details.removed').getBoundingClientRect().bottom")
    browser.send("Emulation.setDeviceMetricsOverride", width=1200, height=int(bottom) + 24,
                 deviceScaleFactor=1, mobile=False)
    target = browser.js("""(() => { window.scrollTo(0, 0);
        const m = [...document.querySelectorAll('.text mark.q.r-target')].find(m => m.dataset.metric);
        const r = m.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, value: m.dataset.value}; })()""")
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=target["x"], y=target["y"])
    assert target["value"] in browser.js("document.getElementById('tip').innerText")
    shot = browser.send("Page.captureScreenshot", format="png")
    browser.send("Emulation.setDeviceMetricsOverride", width=1200, height=900, deviceScaleFactor=1,
                 mobile=False)
    png = base64.b64decode(shot["data"])
    (ARTIFACTS / "report.png").write_bytes(png)
    assert len(png) > 10000 and png[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("EXTRACTOR_UPDATE_DOCS"):  # refresh the README's picture
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(ARTIFACTS / "report.png", ROOT / "docs" / "report.png")
    # sorting the records table by value puts the smallest first
    browser.js("document.querySelectorAll('table.records thead th')[2].click()")
    first = browser.js("parseFloat(document.querySelector('table.records tbody tr td:nth-child(3)')"
                       ".dataset.sort)")
    values = browser.js("[...document.querySelectorAll('table.records tbody tr td:nth-child(3)')]"
                        ".map(td => parseFloat(td.dataset.sort))")
    assert first == min(values) and values == sorted(values)
    assert browser.errors() == []


def test_script_in_text_does_not_run(browser, tmp_path):
    src = tmp_path / "evil.txt"
    src.write_text("全年地区生产总值增长7.5%。<script>window.__pwned = 1; console.error('pwned')</script>"
                   "<img src=x onerror=\"window.__pwned = 2\"><a href=\"http://example.com/\">x</a>"
                   "\"'></mark></div><script>window.__pwned = 3</script>新增就业4万人。\n", encoding="utf-8")
    out = tmp_path / "evil.html"
    assert cli_main(["report", str(src), "-o", str(out)]) == 0
    browser.open(out)
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.js("document.querySelectorAll('script').length") == 1
    assert browser.js("document.querySelectorAll('.text img, .text a').length") == 0
    assert "<script>window.__pwned = 1" in browser.js("document.querySelector('.text').textContent")
    assert browser.js("document.querySelectorAll('.text mark.q').length") == 2
    assert [u for u in browser.requests() if not u.startswith("file:")] == []
    assert browser.errors() == []


def test_folder_report_in_chromium(browser, tmp_path):
    out = tmp_path / "corpus.html"
    assert cli_main(["report", str(ROOT / "corpus" / "dev"), "-o", str(out)]) == 0
    browser.open(out)
    assert browser.errors() == [] and [u for u in browser.requests() if not u.startswith("file:")] == []
    assert browser.js("document.getElementById('index').hidden") is False
    assert browser.js("[...document.querySelectorAll('section.docpage')].every(s => s.hidden)") is True
    assert browser.js("document.querySelectorAll('.plots svg').length") >= 2
    browser.js("document.querySelector('table.index a').click()")
    time.sleep(0.1)
    shown = browser.js("[...document.querySelectorAll('section.docpage')].filter(s => !s.hidden)"
                       ".map(s => [s.dataset.records, s.querySelectorAll('.text mark.q').length])")
    assert len(shown) == 1 and int(shown[0][0]) == shown[0][1] > 0
    assert browser.js("document.getElementById('index').hidden") is True
    assert browser.errors() == []


def test_filter_box_and_natural_sort_in_chromium(browser, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in (1, 10, 2):
        (src / f"001_{n}.txt").write_text(f"全市地区生产总值增长{n}%，单位GDP能耗下降3.5%，投资309亿元。\n",
                                          encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli_main(["report", str(src), "-o", str(out)]) == 0
    browser.open(out)
    assert browser.errors() == []
    # the index sorted by document name: natural order both ways
    browser.js("document.querySelector('table.index thead th').click()")
    names = browser.js("[...document.querySelectorAll('table.index tbody tr td:first-child')]"
                       ".map(td => td.textContent)")
    assert names == ["001_1.txt", "001_2.txt", "001_10.txt"]
    # typing in a document's filter box hides the records that do not match
    browser.js("location.hash = '#d0'")
    time.sleep(0.1)
    rows = "[...document.querySelectorAll('#d0 table.records tbody tr')].filter(r => !r.hidden)"
    assert browser.js(f"{rows}.length") == 3
    browser.js("""(() => { const box = document.querySelector('#d0 input.filter');
        box.value = '能耗 3.5%'; box.dispatchEvent(new Event('input')); })()""")
    assert browser.js(f"{rows}.map(r => r.cells[1].textContent)") == ["3.5%"]
    assert browser.js(f"{rows}[0].querySelector('td.dir').textContent") == "↓"
    assert browser.errors() == []
