from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.ingest.decode import decode_and_normalise, repair_east_asian_mojibake


def test_gbk_read_as_latin1_is_repaired_and_recorded():
    garbled = "爱漫岛".encode("gbk").decode("latin-1")
    d = decode_and_normalise(f"{garbled}\n\nReal headline here\nBody text.".encode(), "x.txt")
    assert d.text.startswith("爱漫岛")
    assert any("GBK" in r.reason for r in d.repairs)


def test_accented_latin_text_is_not_touched_by_east_asian_repair():
    assert repair_east_asian_mojibake("Café déjà vu") is None
    assert repair_east_asian_mojibake("Müller") is None


def test_utf8_mojibake_fixed_by_ftfy():
    d = decode_and_normalise("The ministerâ€™s statement".encode(), "x")
    assert "minister’s" in d.text


def test_cp1252_bytes_are_detected():
    d = decode_and_normalise(("Le président a déclaré que la réforme était nécessaire. " * 5).encode("cp1252"), "x")
    assert "président" in d.text


def test_invisible_and_control_characters_dropped_and_recorded():
    d = decode_and_normalise("Hello\u202eworld\x00 and\u200b more".encode(), "x")
    assert d.text == "Helloworld and more"
    assert any("invisible" in r.reason for r in d.repairs)


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\x00\x01\x02" * 100])
def test_empty_or_binary_input_raises_named_error(data):
    with pytest.raises(InputError) as err:
        decode_and_normalise(data, "bad.txt")
    assert "bad.txt" in str(err.value)


@given(st.binary(max_size=2000))
def test_random_bytes_either_decode_or_raise_input_error(data):
    try:
        d = decode_and_normalise(data, "fuzz")
    except InputError:
        return
    assert d.text.strip()
    assert "\x00" not in d.text
