"""`skema web` end to end in Chromium: the secretariat's year through the browser — the front page,
uploading three returns (one with a <script> text, one with errors), the report, who has answered,
one respondent, a correction with a reason, and the consolidated workbook with the corrected value.
Screenshots of every page at 1280×800 and 390×844 are saved along the way (SKEMA_WEB_BILLEDER=dir
to keep them; docs/billeder/ holds the README's)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from web_server import AAR, SCRIPT, build_folder, running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SIZES = {"bred": (1280, 800), "mobil": (390, 844)}
WAIT = 300  # seconds a page may take on a loaded machine (ingesting starts worker processes)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the test run, from the distribution's packages (never downloaded),
    in Danish as on a Danish Windows pc: on Linux the date fields' format (dd.mm.åååå) and the file
    button ("Vælg filer") follow the browser's own language, taken from LANGUAGE (not from --lang,
    which only sets what the pages are told) and shown only with Chromium's Danish strings
    (Debian's chromium-l10n)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    if not CHROMIUM or not Path(CHROMEDRIVER).exists():
        pytest.skip("Chromium og chromedriver er ikke installeret (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("hentet")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=da-DK"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={SIZES['bred'][0]},{SIZES['bred'][1]}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "da-DK,da",
        },
    )
    danish = {**os.environ, "LANGUAGE": "da_DK:da", "LANG": "da_DK.UTF-8"}
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=danish), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def web(tmp_path_factory, sd, defs):
    """`skema web --uden-browser` on a free port in a folder with this year's generated kommune forms."""
    root = tmp_path_factory.mktemp("web")
    folder = root / "mappe"
    returns = build_folder(folder, root / "indbakke", sd, defs)
    with running_server(folder) as url:
        yield url, folder, returns


@pytest.fixture(scope="session")
def shots(tmp_path_factory):
    out = Path(os.environ.get("SKEMA_WEB_BILLEDER") or tmp_path_factory.mktemp("web_billeder"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _shoot(driver, folder: Path, name: str) -> None:
    """The page as it looks at each size (the viewport, 1280×800 and 390×844)."""
    for label, (w, h) in SIZES.items():
        driver.set_window_rect(width=w, height=h)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_rect(width=2 * w - inner[0], height=2 * h - inner[1])  # the viewport, not the window
        driver.save_screenshot(str(folder / f"web_{name}_{label}.png"))
    driver.set_window_rect(width=SIZES["bred"][0], height=SIZES["bred"][1])


def _wait(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(condition)


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def _click_nav(driver, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.LINK_TEXT, name).click()
    _wait(driver, lambda d: d.find_element(*_by("nav a[aria-current=page]")).text == name)


def _job_done(driver) -> None:
    """The job page (after the form's POST) reloads itself until the work is done."""
    _wait(
        driver,
        lambda d: (
            "/job/" in d.current_url
            and not d.find_elements(*_by("meta[http-equiv=refresh]"))
            and d.find_elements(*_by("main h1"))
        ),
    )


def test_the_year_in_the_browser_upload_status_correct_and_download(browser, web, shots):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, folder, returns = web
    d = browser
    d.get(f"{url}/?aar={AAR}")
    assert d.find_element(*_by("html")).get_attribute("lang") == "da"  # the page says it is Danish
    assert d.execute_script("return navigator.language") == "da-DK"  # and the browser is a Danish one
    assert [a.text for a in d.find_elements(*_by("nav a"))] == ["Årshjul", "Skemaer", "Indlæs", "Status", "Dokumenter"]
    assert d.find_element(*_by("h1")).text.startswith(f"Årshjul {AAR}")
    assert "Skemaer sendes ud" in d.find_element(*_by("table")).text
    assert d.find_element(*_by(".next .button")).text  # the next thing to do, with a button for it
    _shoot(d, shots, "aarshjul")
    _click_nav(d, "Skemaer")
    assert "11 af 11 dannet" in d.find_element(*_by("main")).text
    _shoot(d, shots, "skemaer")

    _click_nav(d, "Indlæs")
    _shoot(d, shots, "indlaes")
    upload = d.find_element(*_by("input[type=file]"))
    upload.send_keys("\n".join(str(p) for p in (returns.valid, returns.script, returns.with_error)))
    d.find_element(By.XPATH, "//button[normalize-space()='Indlæs']").click()
    _job_done(d)
    main = d.find_element(*_by("main")).text
    cells = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in d.find_elements(*_by(".rapport tbody tr"))
    ]
    assert {c[0]: c[3] for c in cells} == {p.name: "ny" for p in (returns.valid, returns.script, returns.with_error)}, (
        main
    )
    assert "mangler-obligatorisk" in d.find_element(*_by("main")).text  # the error form's issues
    _shoot(d, shots, "indlaes_rapport")

    _click_nav(d, "Status")
    status = d.find_element(*_by("main")).text
    assert "3 af 11 modtaget" in status and "1 med fejl" in status
    assert "modtaget, med fejl" in status
    _shoot(d, shots, "status")

    # the respondent whose contact person is a <script>: shown as text, never run
    d.find_element(*_by(f"a[href^='/respondent/{returns.script_id}?']")).click()
    _wait(d, lambda x: x.find_elements(*_by("table.values")))
    values = d.find_element(*_by("table.values"))
    assert SCRIPT in values.text
    row = values.find_element(By.XPATH, f'.//td[contains(., "{SCRIPT}")]')
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    _shoot(d, shots, "respondent_script")
    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert.text  # noqa: B018
    d.back()

    d.find_element(*_by(f"a[href^='/respondent/{returns.valid_id}?']")).click()
    _wait(d, lambda x: x.find_elements(*_by("select#felt")))
    felt = next(
        o.get_attribute("value")
        for o in Select(d.find_element(*_by("select#felt"))).options
        if o.get_attribute("value").endswith(".forventet_pladser.2029")
    )
    Select(d.find_element(*_by("select#felt"))).select_by_value(felt)
    d.find_element(*_by("#vaerdi")).send_keys("777")
    d.find_element(*_by("#begrundelse")).send_keys("Telefonsamtale med kontaktpersonen")
    d.find_element(By.XPATH, "//button[normalize-space()='Ret værdien']").click()
    _wait(d, lambda x: x.find_elements(*_by(".ok-box")))
    corrections = d.find_element(By.XPATH, "//h2[.='Rettelser']/following-sibling::div[1]").text
    assert felt in corrections and "777" in corrections and "Telefonsamtale" in corrections
    _shoot(d, shots, "respondent")

    _click_nav(d, "Dokumenter")
    d.find_element(By.XPATH, "//button[normalize-space()='Dan samlet overblik']").click()
    _job_done(d)
    link = d.find_element(By.LINK_TEXT, f"{AAR}_samlet.xlsx")
    link.click()
    target = d.downloads / f"{AAR}_samlet.xlsx"
    _wait(d, lambda _x: target.exists() and not list(d.downloads.glob("*.crdownload")))
    wb = openpyxl.load_workbook(target, read_only=True)
    rows = [r for r in wb["Kommunale indmeldinger"].iter_rows(values_only=True) if r[0] == returns.valid_id]
    wb.close()
    assert rows and any(777 in r for r in rows)
    _click_nav(d, "Dokumenter")
    _shoot(d, shots, "dokumenter")
    assert all(p.stat().st_size > 0 for p in shots.glob("web_*.png"))
