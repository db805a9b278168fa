"""Content-hashed static names: the name follows the content, and stylesheets point at hashed files."""

from __future__ import annotations

import re

from judging.assets import build_manifest, hashed_name, rewrite_css


def test_a_hashed_name_keeps_folder_and_suffix():
    assert hashed_name("css/app.css", "0123456789ab") == "css/app.0123456789ab.css"
    assert hashed_name("fonts/a.b.woff2", "0123456789ab") == "fonts/a.b.0123456789ab.woff2"
    assert hashed_name("LICENSE", "0123456789ab") == "LICENSE.0123456789ab"


def test_stylesheet_references_are_rewritten_relative_to_the_stylesheet():
    hashed = {"fonts/a.woff2": "fonts/a.111111111111.woff2", "css/b.png": "css/b.222222222222.png"}
    css = ('src: url("../fonts/a.woff2") format("woff2"); background: url(b.png?v=1#x);'
           ' x: url(data:image/png;base64,AAAA); y: url("/abs.png"); z: url(missing.png)')
    out = rewrite_css("css/site.css", css, hashed)
    assert 'url("../fonts/a.111111111111.woff2")' in out
    assert "url(b.222222222222.png?v=1#x)" in out
    assert "url(data:image/png;base64,AAAA)" in out and 'url("/abs.png")' in out and "url(missing.png)" in out


def test_the_name_changes_with_the_content_and_a_font_change_renames_its_stylesheet(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "css" / "site.css").write_text('@font-face { src: url("../fonts/a.woff2"); }')
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"font one")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "app.js").write_text("let a = 1;")
    first = build_manifest(tmp_path)
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", first.hashed["css/site.css"])
    assert first.original[first.hashed["js/app.js"]] == "js/app.js"
    assert first.hashed["fonts/a.woff2"].removeprefix("fonts/") in first.text["css/site.css"].decode()
    assert "fonts/a.woff2" not in first.text  # binary files are served from disk
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"font two")
    second = build_manifest(tmp_path)
    assert second.hashed["fonts/a.woff2"] != first.hashed["fonts/a.woff2"]
    assert second.hashed["css/site.css"] != first.hashed["css/site.css"]  # it names the new font
    assert second.hashed["js/app.js"] == first.hashed["js/app.js"]
