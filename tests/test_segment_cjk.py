"""Sentence segmentation of Korean, Chinese, Japanese and Spanish (text written for these tests)."""

from align.segment import split_sentences


def _sents(text, lang):
    spans = split_sentences(text, lang)
    for a, b in spans:  # offsets point into the input, whitespace trimmed
        assert text[a:b] == text[a:b].strip() and text[a:b]
    return [text[a:b] for a, b in spans]


def test_korean_ends_with_spaces_quotes_and_heading():
    text = ("조선로동당 중앙위원회 전원회의 확대회의 진행\n"
            "회의는 12월 7일 평양에서 진행되였다. 김정은동지께서는 《우리는 반드시 승리할것이다. 이것은 확신이다.》라고 "
            "강조하시였다. 올해 알곡생산량은 2.5배 늘어났다! 무엇이 이런 성과를 낳았는가? 참가자들은 결의를 다지였다.")
    assert _sents(text, "ko") == [
        "조선로동당 중앙위원회 전원회의 확대회의 진행",
        "회의는 12월 7일 평양에서 진행되였다.",
        "김정은동지께서는 《우리는 반드시 승리할것이다. 이것은 확신이다.》라고 강조하시였다.",
        "올해 알곡생산량은 2.5배 늘어났다!",
        "무엇이 이런 성과를 낳았는가?",
        "참가자들은 결의를 다지였다.",
    ]


def test_korean_quote_closing_a_sentence_and_initials():
    text = "  대변인은 《이것은 엄중한 도발이다.》 그는 미국의 J. 스미스 대표를 비난하였다.　회의는 끝났다."
    assert _sents(text, "ko") == ["대변인은 《이것은 엄중한 도발이다.》", "그는 미국의 J. 스미스 대표를 비난하였다.", "회의는 끝났다."]
    assert split_sentences(text, "ko")[0][0] == 2


def test_chinese_no_space_ends_and_quotes():
    text = ("朝鲜劳动党中央委员会全体会议在平壤举行\n会议于12月7日开幕。会议讨论了明年的经济计划！"
            "代表们说：“我们将完成任务。我们有信心。”这是重要的一步？报告题为《新的胜利。新的开始》的文章发表了。")
    assert _sents(text, "zh") == [
        "朝鲜劳动党中央委员会全体会议在平壤举行",
        "会议于12月7日开幕。",
        "会议讨论了明年的经济计划！",
        "代表们说：“我们将完成任务。我们有信心。”",
        "这是重要的一步？",
        "报告题为《新的胜利。新的开始》的文章发表了。",
    ]


def test_japanese_quotes_with_particles():
    text = ("朝鮮労働党中央委員会総会が開催\n朝鮮労働党中央委員会の総会が平壌で開かれた。代表は「我々は任務を遂行する。自信がある。」と述べた。"
            "『勝利！前進！』との論評を掲載した。声明は“これは挑発だ。”と指摘した。本当か？そうだ。")
    assert _sents(text, "ja") == [
        "朝鮮労働党中央委員会総会が開催",
        "朝鮮労働党中央委員会の総会が平壌で開かれた。",
        "代表は「我々は任務を遂行する。自信がある。」と述べた。",
        "『勝利！前進！』との論評を掲載した。",
        "声明は“これは挑発だ。”と指摘した。",
        "本当か？",
        "そうだ。",
    ]


def test_spanish_titles_and_abbreviations():
    for text, want in [
    ("El Sr. García llegó a EE.UU. el lunes. ¿Qué dijo la Dña. Pérez? ¡Nada! La reunión terminó a las 5 p.m. "
     "en la capital.",
     ["El Sr. García llegó a EE.UU. el lunes.", "¿Qué dijo la Dña. Pérez?", "¡Nada!",
      "La reunión terminó a las 5 p.m. en la capital."]),
    ("La delegación visitó EE.UU. El ministro habló con el Dr. Kim.",
     ["La delegación visitó EE.UU.", "El ministro habló con el Dr. Kim."]),
    ]:
        assert _sents(text, "es") == want
