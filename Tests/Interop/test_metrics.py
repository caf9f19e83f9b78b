"""/metrics as Prometheus scrapes it: parsed with the official client's text parser, counting what real SDK calls did."""
import anthropic
import httpx
import openai
from prometheus_client.parser import text_string_to_metric_families


def scrape(server, headers=None):
    response = httpx.get(f"{server.url}/metrics", headers=headers or {}, timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def value(families, name, suffix="", **labels):
    family = families.get(name)
    if family is None:
        return 0
    return sum(
        sample.value for sample in family.samples
        if sample.name == name + suffix and all(sample.labels.get(k) == v for k, v in labels.items())
    )


def test_metrics_change_as_requests_flow(make_proxy):
    server = make_proxy()
    before = scrape(server)
    oai = openai.OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0)
    oai.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "hi"}])
    list(oai.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "stream"}], stream=True))
    claude = anthropic.Anthropic(base_url=server.url, api_key="x", max_retries=0)
    claude.messages.create(model="claude-sonnet-4.5", max_tokens=64, messages=[{"role": "user", "content": "hi"}])
    try:
        oai.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    except openai.APIStatusError:
        pass

    after = scrape(server)
    chat = dict(route="/v1/chat/completions", model="gpt-4.1", status="200", dialect="openai")
    assert value(after, "ghc_api_requests", "_total", **chat) - value(before, "ghc_api_requests", "_total", **chat) == 2
    assert value(after, "ghc_api_requests", "_total", route="/v1/messages", dialect="anthropic", status="200") == 1
    refused = [s for s in after["ghc_api_requests"].samples if s.labels.get("model") == "no-such-model"]
    assert refused and refused[0].labels["status"].startswith("4")
    assert value(after, "ghc_api_tokens", "_total", model="gpt-4.1", kind="input") > 0
    assert value(after, "ghc_api_tokens", "_total", model="claude-sonnet-4.5", kind="output") > 0
    assert value(after, "ghc_api_upstream_duration_seconds", "_count", model="gpt-4.1") == 2
    assert value(after, "ghc_api_upstream_first_byte_seconds", "_count", model="gpt-4.1") == 2
    buckets = [s for s in after["ghc_api_upstream_duration_seconds"].samples if s.name.endswith("_bucket") and s.labels["model"] == "gpt-4.1"]
    assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == 2
    assert value(after, "ghc_api_copilot_token_refreshes", "_total", result="success") >= 1
    assert value(after, "ghc_api_store_entries") >= 4 and value(after, "ghc_api_store_bytes") > 0
    assert value(after, "ghc_api_requests_in_flight") == 0
    for name in ("ghc_api_daily_file_queue_bytes", "ghc_api_daily_file_dropped", "ghc_api_history_dropped"):
        assert name in after


def test_metrics_need_a_key_when_the_api_does(make_proxy):
    server = make_proxy("api_keys: [team-key-1]\n")
    refused = httpx.get(f"{server.url}/metrics", timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
    families = scrape(server, {"authorization": "Bearer team-key-1"})
    assert "ghc_api_requests_in_flight" in families
