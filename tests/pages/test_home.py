def test_home_renders_and_links_every_destination(app):
    at = app.run()
    assert not at.exception
    assert "SAE Playground" in at.title[0].value
    links = at.get("page_link")
    assert len(links) >= 1


def test_the_path_links_every_concept_and_sae_page_in_teaching_order(app):
    from app_core.registry import path_sections
    at = app.run()
    expected = [page.url_path for pages in path_sections().values() for page in pages]
    assert [link.proto.page for link in at.get("page_link")] == expected
    assert expected[:5] == ["autoencoders", "norms", "kl_divergence", "kl_loss", "superposition"]
    assert [s.value for s in at.subheader] == ["Concepts", "Sparse autoencoders"]
