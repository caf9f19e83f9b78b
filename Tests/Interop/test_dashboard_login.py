"""The dashboard login with api_keys: a key exchanged for an HttpOnly, SameSite=Strict session cookie, which opens
the dashboard and its APIs but never the proxy's API."""
import httpx

KEY = "team-key-0123456789"


def test_login_cookie_opens_the_dashboard_not_the_api(make_proxy):
    proxy = make_proxy(f"api_keys: [{KEY}]\n")
    with httpx.Client(base_url=proxy.url, timeout=5, follow_redirects=False) as browser:
        for page in ["/", "/requests", "/usage", "/code-agent-manager", "/agent"]:
            first = browser.get(page)
            assert first.status_code == 303 and first.headers["location"] == "/login", page
        assert browser.get("/api/stats").status_code == 401
        assert browser.get("/login").status_code == 200
        wrong = browser.post("/login", data={"key": "nope"})
        assert wrong.status_code == 401 and "is not accepted here" in wrong.text and "set-cookie" not in wrong.headers
        right = browser.post("/login", data={"key": KEY})
        assert right.status_code == 303 and right.headers["location"] == "/"
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and KEY not in cookie
        for page in ["/", "/requests", "/usage", "/code-agent-manager", "/agent"]:
            assert browser.get(page).status_code == 200, page
        assert browser.get("/api/stats").status_code == 200
        assert browser.get("/api/session").json() == {"login_required": True, "logged_in": True}
        api = browser.post("/v1/chat/completions", json={"model": "gpt-4.1", "messages": [{"role": "user", "content": "x"}]})
        assert api.status_code == 401, "a dashboard session never opens the proxy's API"
        assert browser.post("/logout").status_code == 303
        assert browser.get("/api/stats").status_code == 401
    keyed = httpx.get(proxy.url + "/api/stats", headers={"authorization": f"Bearer {KEY}"}, timeout=5)
    assert keyed.status_code == 200


def test_without_api_keys_no_login_is_asked(proxy):
    assert httpx.get(proxy.url + "/", timeout=5, follow_redirects=False).status_code == 200
    assert httpx.get(proxy.url + "/api/session", timeout=5).json() == {"login_required": False, "logged_in": False}
