#!/usr/bin/env python3
"""Browser test of `congvan serve`: Debian's chromium driven through chromedriver (WebDriver).

Opens the page, uploads the sample export, sees every lagging unit, makes the letter final and
changes its date, sees the preview change, downloads the .docx and checks it (unzip, parse the
XML, same bytes as `congvan draft` with the same inputs). With --screenshot FILE, saves the page.

Usage: .ci/browser-test.py path/to/congvan [--screenshot docs/serve.png]
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import xml.etree.ElementTree as ET

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPORT = os.path.join(ROOT, "data", "hai-phong-2024", "2024-07.csv")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("PASS " + message)


def docx_text(path):
    """The paragraphs of word/document.xml, one string each."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def main():
    binary = os.path.abspath(sys.argv[1])
    shot = None
    if "--screenshot" in sys.argv:
        shot = os.path.abspath(sys.argv[sys.argv.index("--screenshot") + 1])
    work = tempfile.mkdtemp(prefix="congvan-browser-")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)

    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    server = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, text=True, cwd=work, env=env)
    driver = None
    try:
        line = server.stdout.readline()
        url = next(w for w in line.split() if w.startswith("http://"))
        print("server: " + url)

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--user-data-dir=" + os.path.join(work, "profile"),
                     "--window-size=1400,2300", "--lang=vi"]:
            options.add_argument(flag)
        options.add_experimental_option("prefs", {
            "download.default_directory": downloads,
            "download.prompt_for_download": False,
        })
        os.environ["SE_OFFLINE"] = "true"
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.execute_cdp_cmd("Page.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": downloads})
        wait = WebDriverWait(driver, 20)

        driver.get(url)
        check("Soạn công văn hằng tháng" in driver.page_source, "the page opens")

        # Upload this month's export: choosing the file submits the form.
        driver.find_element(By.ID, "file").send_keys(EXPORT)
        wait.until(lambda d: "Tệp tải lên: 2024-07.csv" in
                   d.find_element(By.ID, "data").get_attribute("innerText") and
                   d.find_element(By.ID, "data").get_attribute("value") == "u0")
        check(True, "the upload is chosen as this month's data")
        problems = driver.find_element(By.ID, "problems").text
        check("Không có lỗi" in problems, "check finds no problem in the export")

        # Every lagging unit `congvan lagging` lists is in the table.
        rows = json.loads(subprocess.check_output([binary, "lagging", "--json"], cwd=work))
        table = driver.find_element(By.ID, "lagging").text
        missing = [r["name"] for r in rows if r["name"] not in table]
        check(len(rows) > 5 and not missing, "all %d lagging names are shown %s" % (len(rows), missing))

        # Final, number 461, and another date: the preview follows.
        before = driver.find_element(By.ID, "preview").text
        driver.find_element(By.ID, "final").click()
        number = driver.find_element(By.ID, "number")
        number.clear()
        number.send_keys("461")
        driver.execute_script(
            "var d = document.getElementById('date'); d.value = '2024-09-10';"
            "d.dispatchEvent(new Event('input', {bubbles: true}));")
        wait.until(lambda d: "ngày 10 tháng 9 năm 2024" in d.find_element(By.ID, "preview").text)
        after = driver.find_element(By.ID, "preview").text
        check(after != before and "Số: 461/VP-KSTTHC" in after, "the preview shows the new date and number")

        if shot:
            driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(0.3)
            driver.save_screenshot(shot)
            print("screenshot: " + shot)

        # Download the .docx and check it.
        driver.find_element(By.ID, "download-docx").click()
        target = os.path.join(downloads, "cong-van-dvc-2024-07.docx")
        deadline = time.time() + 20
        while not os.path.exists(target) and time.time() < deadline:
            time.sleep(0.2)
        check(os.path.exists(target), "the .docx is downloaded")
        paragraphs = docx_text(target)
        check(any("ngày 10 tháng 9 năm 2024" in p for p in paragraphs)
              and any("461/VP-KSTTHC" in p for p in paragraphs),
              "the .docx parses and carries the date and number")
        subprocess.check_call(
            [binary, "draft", "--final", "--number", "461", "--date", "2024-09-10",
             "--out", os.path.join(work, "cli")], cwd=work, stdout=subprocess.DEVNULL, env=env)
        with open(target, "rb") as a, open(os.path.join(work, "cli", "cong-van-dvc-2024-07.docx"), "rb") as b:
            check(a.read() == b.read(), "the download is byte-identical to congvan draft")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
