"""Language ID for KCNA's six editions (texts written for these tests)."""

from align.langid import language_probs, top_language
from corpus.parse import check_language, edition_lang, finish_article, lang_edition
from corpus.records import Article

# Japanese with many kanji (long chains of titles): langdetect alone reads it as Korean
JA = ("金正恩委員長は平壌総合病院竣工式に参加した。朝鮮労働党中央委員会政治局常務委員会委員、書記、"
      "朝鮮民主主義人民共和国国務委員会副委員長、最高人民会議常任委員会委員長らが参加した。")
ZH = "金正恩同志出席平壤综合医院竣工仪式。朝鲜劳动党中央委员会政治局常务委员会委员、国务委员会副委员长出席。"
KO = "김정은동지께서 평양종합병원 준공식에 참석하시였다. 조선로동당 중앙위원회 정치국 상무위원회 위원들이 참가하였다."
ES = "El secretario general asistió a la inauguración del nuevo hospital general de la capital el domingo."
RU = "Генеральный секретарь принял участие в церемонии открытия новой больницы в столице в воскресенье."
EN = "The general secretary attended the opening ceremony of the new general hospital in the capital on Sunday."


def test_six_languages_by_script_and_langdetect():
    got = {k: top_language(t)[0] for k, t in (("ja", JA), ("zh", ZH), ("ko", KO), ("es", ES), ("ru", RU), ("en", EN))}
    assert got == {"ja": "ja", "zh": "zh", "ko": "ko", "es": "es", "ru": "ru", "en": "en"}
    assert language_probs("金正恩") == {}  # too short to judge


def test_kanji_heavy_japanese_is_no_lang_mismatch_and_a_korean_text_is():
    assert check_language(JA, "ja") == (True, "")
    assert check_language(ZH, "zh") == (True, "")
    ok, reason = check_language(KO, "ja")
    assert not ok and "ko" in reason


def test_edition_codes_are_not_language_codes():
    assert [edition_lang("kcna", e) for e in ("kp", "en", "cn", "ru", "es", "jp")] == ["ko", "en", "zh", "ru", "es", "ja"]
    assert lang_edition("kcna", "ja") == "jp" and lang_edition("kcna", "ko") == "kp"
    art = Article(source="kcna", edition="jp", lang="ja", url="http://example.org/jp/1", title="",
                  paragraphs=(KO,), published="", fetched="", section="")
    bad = finish_article(art)
    assert bad.status == "lang_mismatch"
    assert "jp edition" in bad.status_reason and "kp edition" in bad.status_reason
    good = finish_article(Article(source="kcna", edition="jp", lang="ja", url="http://example.org/jp/2", title="",
                                  paragraphs=(JA,), published="", fetched="", section=""))
    assert good.status == "ok"


def test_researcher_mode_names_the_language_of_a_kcna_edition_code():
    import click
    import pytest

    from corpus.researcher.document import check_lang_code

    assert check_lang_code("KO", "--src-lang") == "ko"
    with pytest.raises(click.ClickException) as e:
        check_lang_code("jp", "--src-lang")
    assert "KCNA's jp edition is written in 'ja', pass --src-lang ja" in str(e.value.message)
