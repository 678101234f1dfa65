"""The player's core style sheet as the site serves it: no text-font faces, icon fonts kept, URLs
pointing at the player's static files, cacheable for a year under its versioned URL."""

from courses.h5p.player_css import derive, player_css
from courses.templatetags.h5p_player import player_css_url

SAMPLE = """@font-face {
  font-family: 'Inter';
  src: url('../fonts/inter/inter-regular.woff2') format('woff2');
}
@font-face { font-family: "Open Sans"; src: url("../fonts/open-sans/os.woff2") format("woff2"); }
@font-face {
  font-family: 'h5p';
  src: url('../fonts/h5p-core-30.woff2') format('woff2');
}
.h5p-throbber { background: url('../images/throbber.gif?ver=1.2.1') 10px center no-repeat; }
.h5p-content { font-family: 'Open Sans', sans-serif; }
"""


def test_the_text_faces_go_and_the_icon_faces_stay():
    css = derive(SAMPLE)
    assert "inter-regular" not in css and "open-sans/os" not in css
    assert css.count("@font-face") == 1
    assert "url('/static/h5p-standalone/fonts/h5p-core-30.woff2')" in css
    assert "url('/static/h5p-standalone/images/throbber.gif?ver=1.2.1')" in css
    assert ".h5p-content { font-family: 'Open Sans', sans-serif; }" in css  # rules other than faces untouched


def test_the_installed_player_sheet_has_no_text_fonts():
    css, version = player_css()
    assert "/inter/" not in css and "/open-sans/" not in css
    assert "h5p-core-30" in css and len(version) == 12


def test_the_sheet_is_served_with_a_versioned_url_cached_for_a_year(client):
    url = player_css_url()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    assert client.get("/h5p/player.css")["Cache-Control"] == "no-cache"
    assert client.post(url).status_code == 405
