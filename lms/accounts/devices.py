"""Name a device in plain words from its User-Agent ("Chrome on Windows"), so a person can
recognise their own sign-ins. Good enough to recognise, not to identify: no library, no
version numbers, and "an unknown browser" rather than a guess."""

from __future__ import annotations

from flask_babel import gettext as _

# Checked in order: several browsers name the ones they are built on too (Edge says Chrome
# and Safari; Chrome says Safari), so the most specific comes first.
BROWSERS = (
    ("edg", "Edge"),
    ("opr/", "Opera"),
    ("opera", "Opera"),
    ("samsungbrowser", "Samsung Internet"),
    ("firefox", "Firefox"),
    ("fxios", "Firefox"),
    ("crios", "Chrome"),
    ("chromium", "Chromium"),
    ("chrome", "Chrome"),
    ("trident", "Internet Explorer"),
    ("msie", "Internet Explorer"),
    ("safari", "Safari"),
)
SYSTEMS = (
    ("iphone", "an iPhone"),
    ("ipad", "an iPad"),
    ("android", "Android"),
    ("cros", "ChromeOS"),
    ("windows", "Windows"),
    ("mac os x", "a Mac"),
    ("macintosh", "a Mac"),
    ("linux", "Linux"),
)


def describe(user_agent: str | None) -> str:
    agent = (user_agent or "").lower()
    browser = next((name for key, name in BROWSERS if key in agent), None)
    system = next((name for key, name in SYSTEMS if key in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s", system=system)
    return _("An unknown browser")
