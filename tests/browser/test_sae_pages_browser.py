"""The SAE pages in Chromium: live training updates, a slider taking effect mid-run, uploads."""

from __future__ import annotations

import numpy as np

from .server import wait_for_app


def metric(page, label_start: str) -> str:
    block = page.locator("[data-testid=stMetric]", has_text=label_start).first
    return block.locator("[data-testid=stMetricValue]").inner_text().strip()


def wait_metric_change(page, label_start: str, old: str, timeout_ms: int = 20_000) -> str:
    page.wait_for_function(
        """([label, old]) => {
            const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.startsWith(label));
            return m && m.querySelector('[data-testid=stMetricValue]').innerText.trim() !== old;
        }""", arg=[label_start, old], timeout=timeout_ms)
    return metric(page, label_start)


def test_play_updates_live_and_raising_l1_lowers_l0(app_page):
    page = app_page.goto_app("sparsity?data=toy")
    assert metric(page, "Step") == "0"
    page.get_by_role("button", name="Play", exact=True).click()
    seen_steps, seen_mse = [], []
    step = "0"
    for _ in range(4):  # several updates arrive while the page stays put
        step = wait_metric_change(page, "Step", step)
        seen_steps.append(int(step.replace(",", "")))
        seen_mse.append(metric(page, "MSE"))
    assert seen_steps == sorted(seen_steps) and len(set(seen_steps)) == 4
    assert len(set(seen_mse)) > 1
    l0_before = float(metric(page, "L0"))
    # Raise the L1 coefficient with the keyboard on the select slider (End = largest value).
    slider = page.locator(".st-key-so_l1 input[type=range]")
    slider.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => { const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.startsWith('L0'));"
        f" return m && parseFloat(m.querySelector('[data-testid=stMetricValue]').innerText) < {0.6 * l0_before}; }}",
        timeout=30_000)
    assert "l1=20" in page.url
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page)


def test_bad_upload_gets_a_message_and_a_good_one_is_accepted(app_page, tmp_path):
    page = app_page.goto_app("train")
    page.locator(".st-key-tr_source").click()
    page.get_by_role("option", name="Upload a .npy or .csv array").click()
    wait_for_app(page)
    bad = tmp_path / "ragged.csv"
    bad.write_text("1,2,3\n4,5\n")
    page.locator(".st-key-tr_upload input[type=file]").set_input_files(str(bad))
    page.get_by_text("ragged rows").wait_for(timeout=15_000)
    wait_for_app(page)  # the run that drew the message may not have drawn the button yet
    assert page.get_by_role("button", name="Train").is_disabled()
    good = tmp_path / "good.csv"
    np.savetxt(good, np.random.default_rng(0).normal(size=(40, 6)), delimiter=",")
    page.locator(".st-key-tr_upload input[type=file]").set_input_files(str(good))
    page.get_by_text("good.csv: 40 samples × 6 features").wait_for(timeout=15_000)
    wait_for_app(page)
    assert page.get_by_role("button", name="Train").is_enabled()


def test_download_then_load_the_model_back(app_page, tmp_path):
    page = app_page.goto_app("train")
    page.locator(".st-key-tr_epochs input").fill("2")
    page.locator(".st-key-tr_epochs input").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Train", exact=True).click()
    download_button = page.get_by_role("button", name="Download (SAELens folder, zipped)")
    download_button.wait_for(timeout=60_000)
    with page.expect_download() as info:
        download_button.click()
    saved = tmp_path / "model.zip"
    info.value.save_as(saved)
    uploader = page.locator(".st-key-tr_model_upload input[type=file]")
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"this is not a zip archive")
    uploader.set_input_files(str(garbage))
    page.get_by_text("The model was not loaded: the upload is not a zip file").wait_for(timeout=15_000)
    page.locator(".st-key-tr_model_upload [data-testid=stFileChipDeleteBtn] button").click()  # remove it
    page.locator(".st-key-tr_model_upload [data-testid=stFileChip]").wait_for(state="detached")
    page.wait_for_timeout(500)  # the removal's rerun; a file chosen during it would be dropped
    wait_for_app(page)
    uploader.set_input_files(str(saved))
    try:
        page.get_by_text("Loaded model.zip: ReLU + L1, 128 latents").wait_for(timeout=15_000)
    except Exception:
        alerts = page.locator("[data-testid=stAlert]").all_inner_texts()
        chips = page.locator(".st-key-tr_model_upload [data-testid=stFileChipName]").all_inner_texts()
        raise AssertionError(f"model not loaded; alerts {alerts}, uploaded {chips}") from None
    page.get_by_role("link", name="Explore the features of the model from the uploaded file model.zip").wait_for()
