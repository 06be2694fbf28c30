#!/usr/bin/env python3
"""The officers' console end to end, with real parts only.

  console_browser_test.py KIOSK_BACKEND KIOSKCTL [PG_CLUSTER_HOST]

With PG_CLUSTER_HOST (tests/console/pg_cluster_host.cpp) the backend runs on a private
PostgreSQL cluster instead of SQLite.

A real `kiosk-backend serve` (SQLite, its own temp dir), a real kiosk (`kioskctl init`,
`enroll`, `submit`, `sync`), real HTTP on loopback (http.client) for the cookie flags, CSRF,
cross-role 403, lock-out and SQL-looking filters, and headless Chromium through chromedriver
(python3-selenium) for the officer's path: log in, find the case in the inbox (also searching
without diacritics), forward it with a deadline, request information, answer. After each step
`kioskctl sync` + `kioskctl show CODE --json`, the tracking page /t/CODE and Open311 show it.
Hostile content (script tags, event handlers, javascript: links, entities, bidi overrides, a
64,000-character line) is checked in the browser: shown as text, no alert, no injected element.

Screenshots (login, inbox, case page) go to $KIOSK_SCREENSHOT_DIR when set.
Exit 0: passed; 1: failed; 77: Chromium, chromedriver or selenium is missing (CI fails on that).
"""
import html
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

BACKEND, KIOSKCTL = sys.argv[1], sys.argv[2]
PG_HOST = sys.argv[3] if len(sys.argv) > 3 else None
SHOTS = os.environ.get("KIOSK_SCREENSHOT_DIR", "")
PASSWORD = "mat-khau-dai-10"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("SKIP: python3-selenium is not installed (scripts/bootstrap.sh installs it)")
    sys.exit(77)
if not CHROMIUM or not CHROMEDRIVER:
    print("SKIP: chromium and chromium-driver are needed (scripts/bootstrap.sh installs them)")
    sys.exit(77)

failures = []


def check(cond, what):
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what)
        failures.append(what)


def require(cond, what):
    check(cond, what)
    if not cond:
        raise SystemExit(finish())


def finish():
    if failures:
        print("%d check(s) failed:" % len(failures))
        for f in failures:
            print("  - " + f)
        return 1
    print("all checks passed")
    return 0


tmp = tempfile.mkdtemp(prefix="console-test-")
backend_dir = os.path.join(tmp, "backend")
kiosk_dir = os.path.join(tmp, "kiosk")
log_path = os.path.join(tmp, "backend.log")


DATABASE = []
pg_host = None
if PG_HOST:
    pg_host = subprocess.Popen([PG_HOST], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = pg_host.stdout.readline().strip()
    if not url.startswith("postgresql:"):
        print("the PostgreSQL cluster did not start")
        sys.exit(1)
    DATABASE = ["--database", url]
    print("database: a private PostgreSQL cluster")


def backend_cli(*args, input=None):
    return subprocess.run([BACKEND, "--data-dir", backend_dir, *DATABASE, *args], input=input, capture_output=True,
                          text=True, timeout=60)


def ctl(*args, input=None):
    r = subprocess.run([KIOSKCTL, *args, "--data-dir", kiosk_dir], input=input, capture_output=True, text=True,
                       timeout=120)
    return r


# ---- the backend and a kiosk ------------------------------------------------------------------
os.makedirs(backend_dir)
log = open(log_path, "w")
server = subprocess.Popen([BACKEND, "--data-dir", backend_dir, *DATABASE, "serve", "--listen", "127.0.0.1:0",
                           "--trusted-proxy", "127.0.0.1"], stdout=subprocess.PIPE, stderr=log, text=True)
line = server.stdout.readline()
m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
if not m:
    print("backend did not start: " + line)
    sys.exit(1)
PORT = int(m.group(1))
BASE = "http://127.0.0.1:%d" % PORT

driver = None
try:
    token = backend_cli("issue-token", "--kiosk-id", "7K3M")
    require(token.returncode == 0, "issue-token")
    require(ctl("init", "--kiosk-id", "7K3M", "--centre", "Phường Sài Gòn", "--backend", BASE).returncode == 0,
            "kioskctl init")
    r = ctl("enroll", "--token", token.stdout.strip())
    require(r.returncode == 0, "kioskctl enroll: " + r.stderr.strip())

    secrets = {}

    def submit(*args, body_file=None):
        extra = ["--body-file", "-"] if body_file is not None else []
        r = ctl("submit", *args, *extra, input=body_file)
        require(r.returncode == 0, "kioskctl submit: " + r.stderr.strip()[:300])
        lines = r.stdout.strip().splitlines()  # line 1: the code; line 2: the receipt secret
        secrets[lines[0]] = lines[1].rsplit(" ", 1)[-1]
        return lines[0]

    code = submit("--category", "MOI_TRUONG", "--ward", "26734", "--title", "Ngập nước đường Lê Lợi",
                  "--body", "Đường Lê Lợi ngập nước sau mỗi trận mưa, xe máy chết máy.", "--location",
                  "Số 12 Lê Lợi", "--name", "Nguyễn Văn An", "--phone", "0912345678", "--consent")
    hostile_title = '<img src=x onerror="window.__pwned=1;alert(1)"> &amp; &lt;b&gt;'
    long_line = "A" * 63000
    hostile_body = ('<script>window.__pwned=1;alert("x")</script>\n<a href="javascript:alert(1)">bấm</a> '
                    '<div onmouseover="alert(1)">x</div> &lt;i&gt; &#x3C;svg onload=alert(1)&#x3E; '
                    '\u202Egnp.exe\u202C \u2066isolate\u2069\n' + long_line)
    hostile = submit("--category", "MOI_TRUONG", "--ward", "26734", "--title", hostile_title, "--name",
                     '<script>alert("ten")</script>', "--phone", "0987654321", "--address", "javascript:alert(1)",
                     "--consent", body_file=hostile_body)
    other_ward = submit("--category", "GIAO_THONG", "--ward", "26740", "--body", "Ổ gà trên đường Hai Bà Trưng.",
                        "--anonymous")
    r = ctl("sync", "--once")
    require(r.returncode == 0, "kioskctl sync uploads the three records: " + r.stderr.strip()[:300])

    # Accounts, the password on stdin.
    for args in (["--name", "admin", "--role", "admin"], ["--name", "sup", "--role", "supervisor"],
                 ["--name", "ward1", "--role", "ward", "--ward", "26734"],
                 ["--name", "ward2", "--role", "ward", "--ward", "26740"],
                 ["--name", "agency1", "--role", "agency", "--agency", "Phòng TN&MT"]):
        r = backend_cli("user", "add", *args, input=PASSWORD + "\n")
        require(r.returncode == 0, "user add " + args[1] + ": " + r.stderr.strip())
    check(backend_cli("user", "add", "--name", "x", "--role", "ward", "--ward", "1", input="short\n").returncode != 0,
          "user add refuses a short password")
    check(backend_cli("user", "add", "--name", "ward1", "--role", "supervisor", input=PASSWORD + "\n").returncode != 0,
          "user add refuses a name that exists")

    # ---- HTTP: cookies, CSRF, roles, lock-out, filters -----------------------------------------
    def request(method, path, body=None, cookies=None, headers=None, source=None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30,
                                          source_address=(source, 0) if source else None)
        h = dict(headers or {})
        if cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=h)
        res = conn.getresponse()
        data = res.read().decode("utf-8", "replace")
        set_cookies = res.headers.get_all("Set-Cookie") or []
        conn.close()
        return res.status, res.headers, data, set_cookies

    def cookie_named(set_cookies, name):
        for c in set_cookies:
            if c.startswith(name + "="):
                return c
        return None

    def login_http(name, password, headers=None, source=None):
        st, _, page, sc = request("GET", "/console/login", headers=headers, source=source)
        login_cookie = cookie_named(sc, "kc_login")
        tok = login_cookie.split(";")[0].split("=", 1)[1]
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        st, hd, page, sc = request("POST", "/console/login", {"csrf": csrf, "name": name, "password": password},
                                   cookies={"kc_login": tok}, headers=headers, source=source)
        return st, hd, page, sc

    def session_of(name):
        st, hd, _, sc = login_http(name, PASSWORD)
        c = cookie_named(sc, "kc_session")
        require(st == 303 and c is not None, "login as " + name)
        sess = c.split(";")[0].split("=", 1)[1]
        _, _, page, _ = request("GET", "/console/inbox", cookies={"kc_session": sess})
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        return sess, m.group(1) if m else ""

    st, _, page, sc = request("GET", "/console/login")
    check(st == 200 and "Đăng nhập" in page, "the login page is Vietnamese")
    lc = cookie_named(sc, "kc_login") or ""
    check("HttpOnly" in lc and "SameSite=Strict" in lc and "Secure" not in lc,
          "the login cookie: HttpOnly, SameSite=Strict, no Secure over plain HTTP")
    _, _, _, sc = request("GET", "/console/login", headers={"X-Forwarded-Proto": "https"})
    check("Secure" in (cookie_named(sc, "kc_login") or ""), "Secure when a trusted proxy says https")
    _, _, _, sc = request("GET", "/console/login", headers={"X-Forwarded-Proto": "https"}, source="127.0.0.2")
    check("Secure" not in (cookie_named(sc, "kc_login") or "x"),
          "X-Forwarded-Proto from an untrusted address is not believed")
    st, hd, _, sc = login_http("ward1", PASSWORD, headers={"X-Forwarded-Proto": "https"})
    sc_session = cookie_named(sc, "kc_session") or ""
    check(st == 303 and all(f in sc_session for f in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/console")),
          "the session cookie: HttpOnly, SameSite=Strict, Secure behind the TLS proxy")
    st, hd, _, sc = login_http("ward1", PASSWORD)
    sc_session = cookie_named(sc, "kc_session") or ""
    check("HttpOnly" in sc_session and "SameSite=Strict" in sc_session, "the session cookie over plain HTTP")
    check("script-src" not in (hd.get("Content-Security-Policy") or "") and
          "default-src 'none'" in (hd.get("Content-Security-Policy") or ""), "a CSP that allows no script")

    st, _, _, _ = request("POST", "/console/login", {"name": "ward1", "password": PASSWORD})
    check(st == 403, "login without a CSRF token: 403")
    st, _, _, _ = request("POST", "/console/login", {"csrf": "00" * 16, "name": "ward1", "password": PASSWORD},
                          cookies={"kc_login": "11" * 16})
    check(st == 403, "login with a forged CSRF token: 403")

    w1, w1csrf = session_of("ward1")
    check(len(w1csrf) == 64, "the inbox carries a CSRF token")
    st, _, _, _ = request("POST", "/console/case/%s/action" % code, {"action": "acknowledge"}, cookies={"kc_session": w1})
    check(st == 403, "an action without a CSRF token: 403")
    st, _, _, _ = request("POST", "/console/case/%s/action" % code, {"action": "acknowledge", "csrf": "ab" * 32},
                          cookies={"kc_session": w1})
    check(st == 403, "an action with a forged CSRF token: 403")
    w2, _ = session_of("ward2")
    st, _, _, _ = request("POST", "/console/case/%s/action" % code, {"action": "acknowledge", "csrf": w1csrf},
                          cookies={"kc_session": w2})
    check(st == 403, "another session's CSRF token: 403")
    st, _, _, _ = request("POST", "/console/case/%s/contact" % code, {"csrf": "ab" * 32}, cookies={"kc_session": w1})
    check(st == 403, "show contact with a forged CSRF token: 403")
    r = ctl("sync", "--once")
    show = json.loads(ctl("show", code, "--json").stdout)
    check(show["status"] == "", "refused actions changed nothing")

    st, _, _, _ = request("GET", "/console/case/" + code, cookies={"kc_session": w2})
    check(st == 403, "a ward officer opening another ward's case by URL: 403")
    st, _, page, _ = request("GET", "/console/case/" + other_ward, cookies={"kc_session": w2})
    check(st == 200 and other_ward in page, "a ward officer opens their own ward's case")
    ag, _ = session_of("agency1")
    st, _, _, _ = request("GET", "/console/case/" + code, cookies={"kc_session": ag})
    check(st == 403, "an agency officer before the case is forwarded to them: 403")
    adm, _ = session_of("admin")
    st, _, _, _ = request("GET", "/console/case/" + code, cookies={"kc_session": adm})
    check(st == 403, "an admin opening a case: 403")
    # Reply templates: the admin adds them; a ward officer may not.
    adm, admcsrf = session_of("admin")
    tpl_body = '</textarea><script>window.__pwned=1;alert(1)</script> Đã xử lý xong, trân trọng.'
    for cat, title, body in (("MOI_TRUONG", "Đã xử lý", tpl_body), ("GIAO_THONG", "Giao thông", "Đã sửa đường.")):
        st, _, _, _ = request("POST", "/console/templates", {"csrf": admcsrf, "op": "save", "id": "0", "category": cat,
                                                             "title": title, "body": body}, cookies={"kc_session": adm})
        check(st == 303, "the admin adds the reply template " + title)
    st, _, page, _ = request("GET", "/console/templates", cookies={"kc_session": adm})
    tpl_id = re.search(r'Đã xử lý</td>.*?/console/templates\?edit=(\d+)', page, re.S).group(1)
    st, _, _, _ = request("POST", "/console/templates", {"csrf": w1csrf, "op": "save", "id": "0", "title": "x",
                                                         "body": "y"}, cookies={"kc_session": w1})
    check(st == 403, "a ward officer cannot edit reply templates")
    st, _, page, _ = request("GET", "/console/case/" + code, cookies={"kc_session": w1})
    check("Đã xử lý" in page and "Giao thông" not in page, "the case page offers the templates of its category")
    st, _, page, _ = request("GET", "/console/kiosks", cookies={"kc_session": adm})
    check(st == 200 and "7K3M" in page, "the kiosk fleet page lists the kiosk")
    st, _, _, _ = request("GET", "/console/kiosks", cookies={"kc_session": w1})
    check(st == 403, "a ward officer on the kiosk fleet page: 403")
    st, _, _, _ = request("GET", "/console/users", cookies={"kc_session": w1})
    check(st == 403, "a ward officer on the accounts page: 403")
    st, _, _, _ = request("GET", "/console/access-log", cookies={"kc_session": w1})
    check(st == 403, "a ward officer on the access log: 403")
    st, _, _, _ = request("GET", "/console/inbox")
    check(st == 303, "no session: the inbox sends to the login page")

    def inbox(sess, **params):
        st, _, page, _ = request("GET", "/console/inbox?" + urllib.parse.urlencode(params),
                                 cookies={"kc_session": sess})
        return st, page

    st, page = inbox(w1, tab="new")
    check(st == 200 and code in page and hostile in page and other_ward not in page,
          "the ward officer's inbox: their ward's cases only")
    sp, _ = session_of("sup")
    st, page = inbox(sp, tab="new")
    check(code in page and other_ward in page, "the supervisor sees every ward")
    for q in ("ngap nuoc", "ngập nước", "NGẬP NƯỚC"):
        st, page = inbox(w1, tab="all", q=q)
        check(st == 200 and code in page and hostile not in page, "search %r finds the case" % q)
    for evil in ("' OR '1'='1", "x'); DROP TABLE records; --", "%", "_"):
        st, page = inbox(sp, tab="all", q=evil, ward=evil, category=evil, kiosk=evil, status=evil, type=evil)
        check(st == 200 and code not in page, "filter values %r match nothing" % evil)
    st, page = inbox(sp, tab="all")
    check(code in page and other_ward in page, "every case is still there after hostile filters")
    st, page = inbox(sp, tab="all", category="GIAO_THONG")
    check(other_ward in page and code not in page, "the category filter")
    st, page = inbox(sp, tab="all", ward="26740")
    check(other_ward in page and code not in page, "the ward filter")

    # Lock-out: five wrong passwords, then even the right one is refused for a while.
    for i in range(5):
        st, _, page, _ = login_http("ward2", "wrong-password-%d" % i)
    check(st == 429 and "khóa" in page, "the fifth wrong password locks the account")
    st, _, page, sc = login_http("ward2", PASSWORD)
    check(st == 429 and cookie_named(sc, "kc_session") is None, "a locked account refuses the right password")
    st, _, page, _ = login_http("nobody", "whatever-123")
    check(st == 401 and "không đúng" in page, "an unknown name: the same wrong-password message")
    r = backend_cli("user", "passwd", "--name", "ward2", input=PASSWORD + "\n")
    check(r.returncode == 0, "user passwd")
    st, _, _, sc = login_http("ward2", PASSWORD)
    check(st == 303, "a new password lifts the lock-out")
    r = backend_cli("user", "disable", "--name", "ward2")
    check(r.returncode == 0, "user disable")
    st, _, _, _ = request("GET", "/console/inbox", cookies={"kc_session": w2})
    check(st == 303, "a disabled account's session ends")
    st, _, _, _ = login_http("ward2", PASSWORD)
    check(st == 401, "a disabled account cannot log in")

    # ---- the browser ------------------------------------------------------------------------------
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,768",
              "--lang=vi"):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)

    def shot(name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            driver.save_screenshot(os.path.join(SHOTS, name))

    def no_alert(what):
        try:
            driver.switch_to.alert.dismiss()
            check(False, "no alert on " + what)
        except NoAlertPresentException:
            check(True, "no alert on " + what)
        check(driver.execute_script("return window.__pwned === undefined"), "no injected script ran on " + what)

    def click_and_wait(element):
        """Clicks a submit button and waits until the next page replaced this one."""
        before = driver.execute_script("return performance.timeOrigin")
        element.click()

        def loaded(d):
            try:
                return (d.execute_script("return performance.timeOrigin") != before and
                        d.execute_script("return document.readyState") == "complete")
            except WebDriverException:  # between two documents
                return False

        WebDriverWait(driver, 30).until(loaded)

    def browser_login(name):
        driver.delete_all_cookies()
        driver.get(BASE + "/console/login")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        shot("console-login.png") if name == "ward1" else None
        click_and_wait(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))

    def after_step(step, status, text_in_tracking=None, agency=None):
        r = ctl("sync", "--once")
        check(r.returncode == 0, step + ": kioskctl sync")
        show = json.loads(ctl("show", code, "--json").stdout)
        check(show["status"] == status, "%s: kioskctl show says %s (got %s)" % (step, status, show["status"]))
        if agency:
            check(show["history"][-1]["agency"] == agency, step + ": the kiosk knows the agency")
        st, _, page, _ = request("GET", "/t/" + code)
        check(st == 200 and (text_in_tracking is None or html.escape(text_in_tracking) in page),
              step + ": the tracking page shows it")
        st, _, body, _ = request("GET", "/open311/v2/requests/%s.json" % code)
        o = json.loads(body)[0] if st == 200 else {}
        return show, page, o

    browser_login("ward1")
    check(driver.current_url.endswith("/console/inbox"), "the browser logs in and lands on the inbox")
    cookies = {c["name"]: c for c in driver.get_cookies()}
    check(cookies.get("kc_session", {}).get("httpOnly") is True and cookies["kc_session"].get("sameSite") == "Strict",
          "the browser holds the session cookie HttpOnly and SameSite=Strict")
    check(driver.execute_script("return document.cookie").find("kc_session") < 0, "scripts cannot read the session cookie")
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table.cases a.code")]
    check(code in links and hostile in links, "the inbox lists both cases of the ward")
    shot("console-inbox.png")
    q = driver.find_element(By.NAME, "q")
    q.send_keys("ngap nuoc")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table.cases a.code")]
    check(links == [code], "searching 'ngap nuoc' in the browser finds the case")

    # Hostile content: text, nothing runs, nothing injected.
    driver.get(BASE + "/console/case/" + hostile)
    no_alert("the hostile case page")
    title = driver.find_element(By.ID, "case-title").text
    check(title == hostile_title, "the hostile title is shown as the text it is")
    body = driver.find_element(By.ID, "case-body")
    check(driver.execute_script("return arguments[0].children.length", body) == 0,
          "the hostile body made no element")
    body_text = driver.execute_script("return arguments[0].textContent", body)
    check("<script>" in body_text and 'href="javascript:alert(1)"' in body_text and "&lt;i&gt;" in body_text,
          "script tags, javascript: links and entities are shown literally")
    check("[U+202E]" in body_text and "\u202E" not in body_text, "bidi overrides are shown as visible marks")
    check(long_line in body_text, "the 63,000-character line is there whole")
    check(driver.execute_script("return document.querySelectorAll('main script, main img, main svg, main [onerror],"
                                " main [onmouseover], main a[href^=javascript]').length") == 0,
          "no script, img, svg, handler attribute or javascript: link in the page")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 1366, "the long line wraps (page width %d)" % width)
    contact = driver.find_element(By.CSS_SELECTOR, "dl.contact").text
    check("0987654321" not in contact and "<script>" not in contact, "the sender is masked")
    click_and_wait(driver.find_element(By.ID, "show-contact"))
    no_alert("the shown contact")
    contact = driver.find_element(By.CSS_SELECTOR, "dl.contact").text
    check("0987654321" in contact and '<script>alert("ten")</script>' in contact and "javascript:alert(1)" in contact,
          "show contact: the details appear, as text")

    # The officer's path on the ordinary case.
    driver.get(BASE + "/console/case/" + code)
    no_alert("the case page")
    check("Nguyễn Văn An" not in driver.page_source and "0912345678" not in driver.page_source,
          "the case page masks the sender")
    shot("console-case.png")
    form = driver.find_element(By.ID, "form-forward")
    form.find_element(By.NAME, "agency").send_keys("Phòng TN&MT")
    form.find_element(By.NAME, "officer").send_keys("Trần Thị Bình")
    days = form.find_element(By.NAME, "days")
    days.clear()
    days.send_keys("7")
    click_and_wait(driver.find_element(By.ID, "act-forward"))
    check(driver.current_url.endswith("/console/case/" + code), "forward returns to the case page")
    show, page, o = after_step("forward", "forwarded", "Phòng TN&MT", agency="Phòng TN&MT")
    check(show["history"][-1]["officer"] == "Trần Thị Bình" and len(show["history"][-1]["expected_date"]) == 10,
          "forward: the kiosk knows the officer and the reply date")
    check(o.get("agency_responsible") == "Phòng TN&MT" and o.get("expected_datetime"),
          "forward: Open311 names the agency and the expected date")

    # The agency officer now sees it, asks for information and answers.
    browser_login("agency1")
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table.cases a.code")]
    driver.get(BASE + "/console/inbox?tab=open")
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table.cases a.code")]
    check(links == [code], "the agency officer's inbox holds the forwarded case only")
    driver.get(BASE + "/console/case/" + code)
    need = "Xin gửi ảnh chụp đoạn đường bị ngập và giờ ngập."
    driver.find_element(By.CSS_SELECTOR, "#form-needs-info textarea[name=note]").send_keys(need)
    click_and_wait(driver.find_element(By.ID, "act-needs-info"))
    show, page, o = after_step("request information", "needs_info", need)
    check(show["history"][-1]["note"] == need, "request information: the kiosk has exactly what is needed")
    st, page = inbox(sp, tab="waiting")
    check(code in page, "the case is in the supervisor's 'waiting for resident' tab")

    # The resident answers at the kiosk (issue #14): the supplement is on the case page as text,
    # with its date and kiosk; it is not a case of its own in any inbox.
    hostile_supplement = ('<script>window.__pwned=1;alert("bs")</script> <img src=x onerror="alert(2)"> '
                          'Ảnh chụp lúc 18h, nước ngập 40 cm.')
    r = ctl("supplement", code, "--secret", secrets[code], "--body", hostile_supplement, "--json")
    require(r.returncode == 0, "kioskctl supplement: " + r.stderr.strip()[:300])
    supplement_code = json.loads(r.stdout)["tracking_code"]
    show, page, o = after_step("supplement", "forwarded", "Người dân đã bổ sung thông tin")
    check(hostile_supplement not in page and "40 cm" not in page and "Đã nhận thông tin bổ sung" in page,
          "the tracking page says a supplement arrived, not what it says")
    for tab in ("all", "new", "open"):
        st, page = inbox(sp, tab=tab)
        check(st == 200 and supplement_code not in page, "the supplement is not listed as a case (tab %s)" % tab)
    st, _, _, _ = request("GET", "/console/case/" + supplement_code, cookies={"kc_session": sp})
    check(st == 404, "a supplement's own code is not a case page")
    driver.get(BASE + "/console/case/" + code)
    no_alert("a case with a hostile supplement")
    bodies = driver.find_elements(By.CSS_SELECTOR, "#additions .supplement-body")
    check(len(bodies) == 1 and bodies[0].text == hostile_supplement, "the supplement's full text is on the case page")
    check(driver.execute_script("return document.querySelectorAll('#additions script, #additions img').length") == 0,
          "the supplement made no element")
    check("7K3M" in driver.find_element(By.ID, "additions").text, "the supplement names its kiosk")

    driver.get(BASE + "/console/case/%s?tpl=%s" % (code, tpl_id))
    no_alert("a hostile reply template")
    area = driver.find_element(By.CSS_SELECTOR, "#form-answer textarea[name=reply]")
    check(area.get_attribute("value") == tpl_body, "the template fills the answer as text")
    area.clear()
    reply = "Đã nạo vét cống thoát nước đường Lê Lợi ngày 03/12."
    internal = "NOI-BO: nhà thầu chậm hai ngày"
    driver.find_element(By.CSS_SELECTOR, "#form-answer textarea[name=reply]").send_keys(reply)
    driver.find_element(By.CSS_SELECTOR, "#form-answer textarea[name=internal]").send_keys(internal)
    click_and_wait(driver.find_element(By.ID, "act-answer"))
    check(internal in driver.page_source, "the internal note is on the case page")
    show, page, o = after_step("answer", "answered", reply)
    check(internal not in page and internal not in json.dumps(show, ensure_ascii=False) and
          internal not in json.dumps(o, ensure_ascii=False),
          "the internal note is not on the tracking page, the kiosk or Open311")
    check(o.get("status") == "closed" and reply in (o.get("status_notes") or ""), "answer: Open311 closed with the reply")
    st, page = inbox(sp, tab="answered")
    check(code in page, "the case is in the 'answered' tab")

    # The resident rates the answer (acceptable, with a comment): on the case page, counted in
    # Open311 as an extension (status_notes unchanged), not shown on the public page.
    comment = "<b>Tạm được</b>, cần nạo vét thêm."
    r = ctl("rate", code, "--secret", secrets[code], "--rating", "tam_chap_nhan", "--comment", comment)
    require(r.returncode == 0, "kioskctl rate: " + r.stderr.strip()[:300])
    show, page, o = after_step("rating", "answered", reply)
    check("Người dân đã đánh giá kết quả giải quyết." in page and "nạo vét thêm" not in page,
          "the tracking page says it was rated, without the comment")
    check(o.get("status_notes") == reply and o.get("extended_attributes") ==
          {"rated": True, "rating": "tam_chap_nhan", "reopen_requested": False},
          "Open311: the rating as an extended attribute, status_notes unchanged")
    driver.get(BASE + "/console/case/" + code)
    no_alert("a rated case")
    check(driver.find_element(By.ID, "current-rating").text == "Tạm chấp nhận", "the case page shows the rating")
    comments = driver.find_elements(By.CSS_SELECTOR, "#additions .rating-comment")
    check(len(comments) == 1 and comments[0].text == comment, "the rating's comment is on the case page, as text")

    # The other actions, as forms posted over HTTP by the supervisor.
    def act(sess, csrf, case, **fields):
        fields["csrf"] = csrf
        st, _, page, _ = request("POST", "/console/case/%s/action" % case, fields, cookies={"kc_session": sess})
        return st, page

    sp, spcsrf = session_of("sup")
    st, page = act(sp, spcsrf, other_ward, action="forward", agency="", officer="x", days="3")
    check(st == 400 and "Cần nhập cơ quan" in page, "forward without an agency: 400 with the reason")
    st, page = act(sp, spcsrf, other_ward, action="needs_info", note="   ")
    check(st == 400, "request information without saying what: 400")
    st, page = act(sp, spcsrf, other_ward, action="extend", days="0", note="x")
    check(st == 400, "extend by 0 working days: 400")
    st, page = act(sp, spcsrf, other_ward, action="no_such_action")
    check(st == 400, "an unknown action: 400")
    before = json.loads(ctl("show", other_ward, "--json").stdout)
    st, _ = act(sp, spcsrf, other_ward, action="acknowledge")
    check(st == 303, "acknowledge")
    reason = "Chờ kết quả khảo sát hiện trường."
    st, _ = act(sp, spcsrf, other_ward, action="extend", days="5", note=reason)
    check(st == 303, "extend the deadline")
    ctl("sync", "--once")
    shown = json.loads(ctl("show", other_ward, "--json").stdout)
    hist = shown["history"]
    check(len(hist) >= 2 and hist[-2]["status"] == "received" and hist[-1]["note"] == reason and
          hist[-1]["expected_date"] > hist[-2]["expected_date"],
          "extend: the kiosk sees the later date and why")
    st, _, page, _ = request("GET", "/t/" + other_ward)
    check(html.escape(reason) in page, "extend: the tracking page says why")
    st, _ = act(sp, spcsrf, other_ward, action="reject", note="Không thuộc thẩm quyền của phường.")
    st2, _ = act(sp, spcsrf, other_ward, action="reopen", note="Người dân cung cấp thêm thông tin.")
    ctl("sync", "--once")
    shown = json.loads(ctl("show", other_ward, "--json").stdout)
    check(st == 303 and st2 == 303 and [h["status"] for h in shown["history"]][-2:] == ["rejected", "received"],
          "reject, then reopen: the kiosk sees both")
    st, _ = act(sp, spcsrf, hostile, action="duplicate", other="not-a-code")
    check(st == 400, "duplicate of a malformed code: 400")
    st, _ = act(sp, spcsrf, hostile, action="duplicate", other=code.lower())
    check(st == 303, "mark as duplicate (the other code typed in lower case)")
    ctl("sync", "--once")
    check(json.loads(ctl("show", hostile, "--json").stdout)["status"] == "duplicate", "duplicate: the kiosk sees it")
    _, _, page_dup, _ = request("GET", "/console/case/" + hostile, cookies={"kc_session": sp})
    _, _, page_orig, _ = request("GET", "/console/case/" + code, cookies={"kc_session": sp})
    check(code in page_dup and hostile in page_orig, "duplicate: each case page names the other")
    st, _, body, _ = request("GET", "/open311/v2/requests/%s.json" % hostile)
    check(st == 200 and json.loads(body)[0].get("status") == "closed", "duplicate: Open311 closed")

    # Supervisors export the inbox's selection as CSV (no contact), logged; others may not.
    st, hd, body, _ = request("GET", "/console/export.csv?tab=all&ward=26734", cookies={"kc_session": sp})
    check(st == 200 and hd.get("Content-Type", "").startswith("text/csv") and code in body and hostile in body and
          other_ward not in body, "the supervisor exports the filtered cases as CSV")
    check("0912345678" not in body and "Nguyễn" not in body and "<script>" not in body,
          "the export holds no contact details and no content")
    # Contact columns only for a supervisor who asks (logged as such); a ward officer exports the
    # ward's cases without them, whatever the query says.
    st, hd, body, _ = request("GET", "/console/export.csv?tab=all&ward=26734&contact=1", cookies={"kc_session": sp})
    check(st == 200 and "contact_phone" in body.splitlines()[0] and "0912345678" in body and "Nguyễn Văn An" in body,
          "a supervisor's export with contact=1 has the contact columns")
    st, hd, body, _ = request("GET", "/console/export.csv?tab=all&contact=1", cookies={"kc_session": w1})
    check(st == 200 and code in body and other_ward not in body and "contact_phone" not in body and
          "0912345678" not in body, "a ward officer exports the ward's cases, never contact details")
    st, _, page, _ = request("GET", "/console/access-log", cookies={"kc_session": sp})
    check("Xuất danh sách hồ sơ" in page and "kèm thông tin liên hệ" in page and "/console/case/*" not in page,
          "the exports are in the access log, without a link to a case page")

    # Public statistics (no login) and their CSV.
    st, hd, page, _ = request("GET", "/thong-ke")
    check(st == 200 and "Phường Sài Gòn" in page and "Phòng TN&amp;MT" in page, "/thong-ke: per ward and agency, no login")
    check(code not in page and "Nguyễn" not in page, "/thong-ke shows no codes and no names")
    st, hd, body, _ = request("GET", "/thong-ke.csv")
    rows = {tuple(r.split('","')[0:2]) for r in body.replace('\ufeff', '').splitlines()}
    check(st == 200 and hd.get("Content-Type", "").startswith("text/csv"), "/thong-ke.csv is CSV")
    ward_row = [r for r in body.splitlines() if r.startswith('"ward","26734"')]
    # 26734: the ordinary case (answered) and the hostile one (duplicate): 2 received, 1 answered.
    check(len(ward_row) == 1 and ward_row[0].split(",")[3:5] == ["2", "1"], "the CSV counts the ward's cases")
    # Satisfaction: one rated case, acceptable (rated, satisfied, acceptable, unsatisfied, shares).
    header = body.replace('\ufeff', '').splitlines()[0].split(",")
    check(header[-7:] == ["rated", "satisfied", "acceptable", "unsatisfied", "satisfied_share",
                          "acceptable_share", "unsatisfied_share"], "the CSV has the satisfaction columns")
    check(len(ward_row) == 1 and ward_row[0].split(",")[-7:] == ["1", "0", "1", "0", "0.0", "100.0", "0.0"],
          "the CSV gives the ward's satisfaction shares")
    check("Tạm chấp nhận" in page and "100,0 %" in page, "/thong-ke shows the satisfaction shares")

    # The supervisor reads the access log; the server log has none of it.
    st, _, page, _ = request("GET", "/console/access-log", cookies={"kc_session": sp})
    check(st == 200 and hostile in page and "ward1" in page, "the access log names who saw which contact")
    driver.get(BASE + "/thong-ke")
    no_alert("the statistics page")
    shot("console-stats.png")
    # Not satisfied, asks to reopen: the case goes back to the agency, the console shows why.
    why = "Mưa tối qua vẫn ngập."
    r = ctl("rate", code, "--secret", secrets[code], "--rating", "chua_hai_long", "--reopen", "--reason", why)
    require(r.returncode == 0, "kioskctl rate --reopen: " + r.stderr.strip()[:300])
    show, page, o = after_step("reopen request", "forwarded", why)
    check(o.get("status") == "open" and o.get("extended_attributes", {}).get("reopen_requested") is True,
          "reopen request: Open311 open again, reopen requested")
    driver.get(BASE + "/console/case/" + code)
    check(driver.find_element(By.ID, "current-rating").text == "Chưa hài lòng" and
          [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#additions .reopen-reason")] == [why],
          "the case page shows the reopen request and its reason")
    driver.execute_script("document.getElementById('additions').scrollIntoView()")
    shot("console-case-additions.png")

    # ---- admin pages: roles, CSRF, the calendar and a category reaching the kiosk ---------------
    adm, admcsrf = session_of("admin")
    ag, agcsrf = session_of("agency1")
    admin_pages = ("agencies", "kiosks", "categories", "calendar", "versions")
    for who, sess, tok in (("ward", w1, w1csrf), ("agency", ag, agcsrf), ("supervisor", sp, spcsrf)):
        codes = [request("GET", "/console/admin/" + pg, cookies={"kc_session": sess})[0] for pg in admin_pages]
        check(codes == [403] * len(codes), "a %s officer on the admin pages: 403 (%s)" % (who, codes))
        st, _, _, _ = request("POST", "/console/admin/calendar", {"csrf": tok, "op": "add_holiday",
                                                                 "date": "2026-12-24"}, cookies={"kc_session": sess})
        check(st == 403, "a %s officer cannot add a holiday: 403" % who)
    st, _, _, _ = request("POST", "/console/admin/calendar", {"op": "add_holiday", "date": "2026-12-24"},
                          cookies={"kc_session": adm})
    check(st == 403, "an admin form without its CSRF token: 403")
    st, _, _, _ = request("POST", "/console/admin/categories", {"csrf": "ab" * 32, "op": "types", "days_PAKN": "1"},
                          cookies={"kc_session": adm})
    check(st == 403, "an admin form with a forged CSRF token: 403")
    st, _, page, _ = request("POST", "/console/admin/calendar", {"csrf": admcsrf, "op": "add_swap",
                                                                "off": "2026-12-26", "worked": ""},
                             cookies={"kc_session": adm})
    check(st == 400 and "thứ Hai đến thứ Sáu" in page, "a Saturday as a swapped day off: 400 with the reason")
    st, _, page, _ = request("POST", "/console/admin/calendar", {"csrf": admcsrf, "op": "add_holiday",
                                                                "date": "31/02/2026"}, cookies={"kc_session": adm})
    check(st == 400 and "Ngày không hợp lệ" in page, "an impossible date: 400 with the reason")
    st, _, page, _ = request("GET", "/console/admin/versions", cookies={"kc_session": adm})
    check(st == 200 and "console-" not in page, "refused forms saved no config version")
    show_cfg = json.loads(ctl("categories", "--json").stdout)
    check(not show_cfg["version"].startswith("console-"), "the kiosk still has the shipped config")

    # The receipt's date before: a new case of another category (10 working days).
    def submit_json(*args):
        r = ctl("submit", *args, "--anonymous", "--json")
        require(r.returncode == 0, "kioskctl submit --json: " + r.stderr.strip()[:300])
        return json.loads(r.stdout)
    before = submit_json("--category", "AN_NINH", "--ward", "26740", "--body", "Tiếng ồn sau 22 giờ.")
    reply_before = before["reply_by"]

    # In the browser: the admin makes that very day a holiday, and gives MOI_TRUONG its own
    # deadline, new names and common problems.
    driver.get(BASE + "/console/login")  # so that clearing cookies reaches those of /console
    browser_login("admin")
    driver.get(BASE + "/console/admin/calendar")
    no_alert("the calendar page")
    form = driver.find_element(By.ID, "form-holiday")
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "date"), reply_before)
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check("/console/admin/calendar?saved=console-" in driver.current_url, "the holiday is saved as a new version")
    holidays_text = driver.find_element(By.ID, "holidays").text
    dmy = "%s/%s/%s" % (reply_before[8:10], reply_before[5:7], reply_before[0:4])
    check(dmy in holidays_text, "the calendar lists the new holiday")
    check("10/01/2026" in driver.find_element(By.ID, "swaps").text, "the calendar lists the 2026 swapped Saturday")
    shot("console-admin-calendar.png")
    driver.get(BASE + "/console/admin/categories?edit=MOI_TRUONG")
    form = driver.find_element(By.ID, "form-category")
    name_vi = form.find_element(By.NAME, "name_vi")
    name_vi.clear()
    name_vi.send_keys("Môi trường, cây xanh")
    form.find_element(By.NAME, "days_PAKN").send_keys("5")
    problems = form.find_element(By.NAME, "problems")
    problems.clear()
    problems.send_keys("Rác thải chưa thu gom | Uncollected rubbish\nNgập nước")
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check("?saved=console-" in driver.current_url, "the category is saved as a new version")
    no_alert("the categories page")
    st, _, page, _ = request("GET", "/console/admin/versions", cookies={"kc_session": adm})
    check(page.count("<td>admin</td>") == 2, "the versions page keeps both saves with who saved them")

    r = ctl("sync", "--once")
    check(r.returncode == 0, "kioskctl sync after the admin's saves")
    cats = json.loads(ctl("categories", "--json").stdout)
    env = [c for c in cats["categories"] if c["code"] == "MOI_TRUONG"]
    check(cats["version"].startswith("console-2-") and env and env[0]["name_vi"] == "Môi trường, cây xanh",
          "kioskctl has the new config version and the category's new name")
    after = submit_json("--category", "AN_NINH", "--ward", "26740", "--body", "Tiếng ồn sau 23 giờ.")
    check(after["reply_by"] > reply_before, "the new holiday moves the receipt's date (%s -> %s)" %
          (reply_before, after["reply_by"]))
    env_case = submit_json("--category", "MOI_TRUONG", "--ward", "26740", "--body", "Rác thải chưa thu gom.")
    check(env_case["reply_by"] < reply_before, "the category's 5 working days give an earlier date (%s)" %
          env_case["reply_by"])
    # The backend counts the same deadline for that case.
    r = ctl("sync", "--once")
    st, _, page, _ = request("GET", "/console/case/" + env_case["tracking_code"], cookies={"kc_session": sp})
    ed = env_case["reply_by"]
    check(st == 200 and "%s/%s/%s" % (ed[8:10], ed[5:7], ed[0:4]) in page,
          "the console's deadline for the case is the receipt's date")

    # Agencies: the forward form offers them; kiosks: a kiosk's ward decides the case's ward.
    st, _, _, _ = request("POST", "/console/admin/agencies", {"csrf": admcsrf, "op": "add",
                                                             "name": "Phòng Quản lý đô thị"}, cookies={"kc_session": adm})
    check(st == 303, "the admin adds an agency")
    st, _, page, _ = request("GET", "/console/case/" + env_case["tracking_code"], cookies={"kc_session": sp})
    check('<option value="Phòng Quản lý đô thị">' in page, "the forward form offers the agency")
    # Renaming an agency: the cases forwarded under the old name stay with its officers, and a
    # forward typed with the old name (a page loaded before the rename) reaches it too.
    st, _, _, _ = request("POST", "/console/admin/agencies", {"csrf": admcsrf, "op": "add", "name": "Phòng TN&MT"},
                          cookies={"kc_session": adm})
    check(st == 303, "the admin adds the agency the case was forwarded to")
    st, _, page, _ = request("GET", "/console/admin/agencies", cookies={"kc_session": adm})
    ag_code = re.search(r'name="code" value="(AG\d+)"><input name="name" value="Phòng TN&amp;MT"', page)
    require(ag_code is not None, "the agencies page lists Phòng TN&MT with its code")
    st, hd, _, _ = request("POST", "/console/admin/agencies", {"csrf": admcsrf, "op": "rename", "code": ag_code.group(1),
                                                              "name": "Phòng Tài nguyên và Môi trường"},
                           cookies={"kc_session": adm})
    check(st == 303 and "cases=1" in (hd.get("Location") or ""),
          "the rename carries the one case forwarded there (%s)" % hd.get("Location"))
    st, _, page, _ = request("GET", "/console/case/" + code, cookies={"kc_session": ag})
    check(st == 200 and "Phòng Tài nguyên và Môi trường" in page,
          "after the rename the agency officer still opens the case forwarded under the old name")
    st, page = inbox(ag, tab="all")
    check(code in page, "after the rename the case is still in the agency officer's inbox")
    st, _, page, _ = request("GET", "/console/users", cookies={"kc_session": adm})
    check("Phòng Tài nguyên và Môi trường" in page and "Phòng TN&amp;MT" not in page,
          "the agency officer's account follows the rename")
    st, _ = act(sp, spcsrf, env_case["tracking_code"], action="forward", agency="Phòng TN&MT", officer="Cán bộ A",
                days="3")
    check(st == 303, "a forward typed with the agency's former name")
    st, _, page, _ = request("GET", "/console/case/" + env_case["tracking_code"], cookies={"kc_session": ag})
    check(st == 200, "a forward typed with the former name reaches the renamed agency's officer")
    # A case without a ward, from kiosk 7K3M: in no ward's inbox until the kiosk's ward is set.
    wardless = submit_json("--category", "KHAC", "--body", "Cây đổ chắn lối đi.")
    ctl("sync", "--once")
    st, page = inbox(sp, tab="all", ward="26743")
    check(wardless["tracking_code"] not in page, "a case without a ward is in no ward's inbox")
    st, hd, _, _ = request("POST", "/console/admin/kiosks", {"csrf": admcsrf, "op": "ward", "kiosk": "7K3M",
                                                            "ward": "26743"}, cookies={"kc_session": adm})
    check(st == 303, "the admin puts kiosk 7K3M in ward 26743")
    check("cases=1" in (hd.get("Location") or ""), "setting the ward fills one case (%s)" % hd.get("Location"))
    st, page = inbox(sp, tab="all", ward="26743")
    check(wardless["tracking_code"] in page, "the kiosk's case without a ward now belongs to the kiosk's ward")
    st, page = inbox(sp, tab="all", ward="26734")
    check(code in page and hostile in page, "cases that have a ward keep it when the kiosk's ward is set")
    st, _, page, _ = request("POST", "/console/admin/kiosks", {"csrf": admcsrf, "op": "ward", "kiosk": "NO-SUCH",
                                                              "ward": "26743"}, cookies={"kc_session": adm})
    check(st == 400, "an unknown kiosk: 400")
    ctl("sync", "--once")
    placed = submit_json("--category", "GIAO_THONG", "--ward", "26740", "--body", "Đèn đường hỏng.")
    ctl("sync", "--once")
    st, page = inbox(sp, tab="all", ward="26743")
    check(placed["tracking_code"] in page, "a case from the kiosk belongs to the kiosk's ward")
    st, _, page, _ = request("POST", "/console/admin/kiosks", {"csrf": admcsrf, "op": "token", "kiosk_id": "9Q2W",
                                                              "hours": "24"}, cookies={"kc_session": adm})
    tok = re.search(r'id="new-token"><h2>[^<]*</h2><p class="code">([A-Z0-9-]+)</p>', page)
    check(st == 200 and tok is not None, "the admin issues an enrolment token")
    if tok:
        k2 = os.path.join(tmp, "kiosk2")
        r1 = subprocess.run([KIOSKCTL, "init", "--kiosk-id", "9Q2W", "--centre", "Phường Bến Thành", "--backend", BASE,
                             "--data-dir", k2], capture_output=True, text=True, timeout=60)
        r2 = subprocess.run([KIOSKCTL, "enroll", "--token", tok.group(1), "--data-dir", k2], capture_output=True,
                            text=True, timeout=60)
        check(r1.returncode == 0 and r2.returncode == 0, "a kiosk enrols with the console's token: " + r2.stderr[:200])
    # Categories: one with open cases is not removed (nothing changes); one without is, kiosks
    # stop offering it, and it comes back whole.
    st, _, page, _ = request("POST", "/console/admin/categories", {"csrf": admcsrf, "op": "remove",
                                                                  "code": "MOI_TRUONG"}, cookies={"kc_session": adm})
    check(st == 409 and "còn hồ sơ đang mở" in page, "a category with open cases is not removed: 409 with the reason")
    before_cfg = json.loads(backend_cli("config", "show").stdout)
    st, _, _, _ = request("POST", "/console/admin/categories", {"csrf": admcsrf, "op": "remove", "code": "CAN_BO"},
                          cookies={"kc_session": adm})
    check(st == 303, "a category without open cases is removed")
    ctl("sync", "--once")
    kiosk_codes = [c["code"] for c in json.loads(ctl("categories", "--json").stdout)["categories"]]
    check("CAN_BO" not in kiosk_codes and "MOI_TRUONG" in kiosk_codes, "the kiosk no longer offers the removed category")
    st, _, page, _ = request("GET", "/console/admin/categories", cookies={"kc_session": adm})
    check('id="removed-categories"' in page and "CAN_BO" in page, "the categories page lists the removed one")
    st, _, _, _ = request("POST", "/console/admin/categories", {"csrf": admcsrf, "op": "restore", "code": "CAN_BO"},
                          cookies={"kc_session": adm})
    after_cfg = json.loads(backend_cli("config", "show").stdout)
    restored = [c for c in after_cfg["categories"] if c["code"] == "CAN_BO"]
    check(st == 303 and restored == [c for c in before_cfg["categories"] if c["code"] == "CAN_BO"] and
          not after_cfg.get("removed_categories"), "the removed category comes back as it was")
    # kiosk-backend config set keeps a version too (who: cli); the same document again changes
    # nothing; another document under a used version name is refused.
    after_cfg["version"] = "cli-test-1"
    cfg_path = os.path.join(tmp, "cli-config.json")
    with open(cfg_path, "w", encoding="utf-8") as f:
        json.dump(after_cfg, f, ensure_ascii=False)
    r = backend_cli("config", "set", cfg_path)
    check(r.returncode == 0, "config set: " + r.stderr.strip()[:200])
    st, _, page, _ = request("GET", "/console/admin/versions", cookies={"kc_session": adm})
    check("<td>cli</td>" in page and "cli-test-1" in page, "config set is in the version history, saved by cli")
    r = backend_cli("config", "set", cfg_path)
    check(r.returncode == 0 and "unchanged" in r.stdout, "the same document again: unchanged")
    after_cfg["hotline"] = (after_cfg.get("hotline") or "") + " (2)"
    with open(cfg_path, "w", encoding="utf-8") as f:
        json.dump(after_cfg, f, ensure_ascii=False)
    r = backend_cli("config", "set", cfg_path)
    check(r.returncode == 1 and "saved before" in r.stderr, "another document under a used version name is refused")
    driver.get(BASE + "/console/login")
    browser_login("ward1")  # the ward officer again, for the checks below
    # English switch.
    driver.get(BASE + "/console/lang?l=en")
    check("Inbox" in driver.page_source and "Answered" in driver.page_source, "the English switch")
    driver.get(BASE + "/console/lang?l=vi")
    # Tablet width: the case page still fits.
    driver.set_window_size(800, 1280)
    driver.get(BASE + "/console/case/" + code)
    check(driver.execute_script("return document.documentElement.scrollWidth") <= 800, "the case page fits a tablet")
    st, _, _, _ = request("POST", "/console/logout", {"csrf": w1csrf}, cookies={"kc_session": w1})
    st2, _, _, _ = request("GET", "/console/inbox", cookies={"kc_session": w1})
    check(st == 303 and st2 == 303, "logout ends the session")
finally:
    if driver:
        driver.quit()
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    if pg_host:
        pg_host.stdin.close()
        pg_host.wait(timeout=60)

server_log = open(log_path, encoding="utf-8", errors="replace").read()
for needle in ("Nguyễn Văn An", "0912345678", "0987654321", "ngập nước", "Trần Thị Bình", "NOI-BO", "<script>"):
    check(needle not in server_log, "the server log holds no %r" % needle)
code_rc = finish()
if code_rc == 0:
    shutil.rmtree(tmp, ignore_errors=True)
else:
    print("kept " + tmp)
sys.exit(code_rc)
