"""Model names as today's clients send them: Claude Code's spellings, families the catalog lacks, unknown names."""
import anthropic
import httpx
import openai
import pytest


def messages(proxy, model):
    return anthropic.Anthropic(base_url=proxy.url, api_key="x", max_retries=0).messages.create(
        model=model, max_tokens=50, messages=[{"role": "user", "content": "hi"}])


@pytest.mark.parametrize("spelling,copilot", [
    ("claude-opus-5-5", "claude-opus-5.5"), ("claude-sonnet-4-5-20250929", "claude-sonnet-4.5"),
    ("claude-opus-5-5[1m]", "claude-opus-5.5"), ("claude-haiku-4-5", "claude-haiku-4.5"),
])
def test_claude_code_spellings_reach_the_catalog_model(make_proxy, stand_in, spelling, copilot):
    proxy = make_proxy()
    assert messages(proxy, spelling).content[0].text == "You said: hi"
    assert stand_in.requests("/v1/messages")[-1]["body"].count(f'"model":"{copilot}"') == 1


def test_an_unknown_claude_model_falls_back_to_its_familys_newest_once_in_the_log(make_proxy, stand_in):
    proxy = make_proxy()
    for _ in range(3):
        assert messages(proxy, "claude-opus-9-9").content[0].text == "You said: hi"
    assert '"model":"claude-opus-5.5"' in stand_in.requests("/v1/messages")[-1]["body"]
    assert messages(proxy, "sonnet") and '"model":"claude-sonnet-4.6"' in stand_in.requests("/v1/messages")[-1]["body"]
    proxy.stop()
    log = proxy.process.stderr()
    assert log.count("model 'claude-opus-9-9' is not in Copilot's catalog; using 'claude-opus-5.5'") == 1


def test_model_mappings_win_over_resolution(make_proxy, stand_in):
    proxy = make_proxy("model_mappings:\n  exact: {claude-opus-5-5: gpt-4.1}\n")
    assert messages(proxy, "claude-opus-5-5").content[0].text == "You said: hi"
    assert stand_in.requests("/chat/completions")[-1]["body"].count('"model":"gpt-4.1"') == 1


def test_an_unknown_model_goes_to_copilot_and_its_refusal_comes_back_in_each_dialect(make_proxy, stand_in):
    proxy = make_proxy()
    with pytest.raises(anthropic.BadRequestError) as refused:
        messages(proxy, "mystery-model-7")
    assert "not supported" in refused.value.body["error"]["message"]
    chat = openai.OpenAI(base_url=proxy.url + "/v1", api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError) as refused_chat:
        chat.chat.completions.create(model="mystery-model-7", messages=[{"role": "user", "content": "hi"}])
    assert refused_chat.value.body["code"] == "model_not_supported"
    with pytest.raises(openai.BadRequestError) as refused_responses:
        chat.responses.create(model="mystery-model-7", input="hi")
    assert refused_responses.value.body["code"] == "model_not_supported"
    assert [r["path"] for r in stand_in.requests() if r["method"] == "POST"][-3:] == ["/chat/completions", "/chat/completions", "/responses"]
