def test_home_renders_and_links_every_destination(app):
    at = app.run()
    assert not at.exception
    assert "SAE Playground" in at.title[0].value
    links = at.get("page_link")
    assert len(links) >= 1
