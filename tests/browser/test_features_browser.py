"""Feature explorer in Chromium: a toy model's atoms are drawn numbered, and a click on one inspects its latent."""

from .server import wait_for_app


def test_a_click_on_a_toy_atom_inspects_that_latent(app_page):
    page = app_page.goto_app("sparsity?data=toy&latents=64")
    page.locator(".st-key-so_step button").click()
    page.wait_for_timeout(500)
    wait_for_app(page, 60_000)
    page.locator(".st-key-so_explore button").click()
    wait_for_app(page)
    page.get_by_role("link", name="Feature explorer").first.click()
    chart = page.locator(".st-key-fx_atoms .js-plotly-plot")
    chart.wait_for(timeout=60_000)
    wait_for_app(page)
    labels = [t.strip() for t in chart.locator(".ytick text").all_text_contents()]
    assert len(labels) == 48 and all(label.isdigit() for label in labels)  # every atom numbered by its latent
    row = 5 if labels[5] != "0" else 6  # latent 0 is inspected already
    tick = chart.locator(".ytick text").nth(row)
    tick.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    plot, label = chart.locator(".nsewdrag").first.bounding_box(), tick.bounding_box()
    x, y = plot["x"] + plot["width"] * 0.4, label["y"] + label["height"] / 2  # on that atom's row
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function("want => [...document.querySelectorAll('h3')].some(h => h.innerText.trim() === want)",
                           arg=f"Latent {labels[row]}", timeout=30_000)
    wait_for_app(page)
    assert f"latent={labels[row]}" in page.url
