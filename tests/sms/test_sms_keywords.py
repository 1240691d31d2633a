"""The keyword table in Korean and English, with spacing, punctuation and width variants."""

from __future__ import annotations

import pytest

from sms.inbound.keywords import classify
from sms.inbound.replies import HANDLERS
from sms.outbound.inbox import InboundMessage

OPT_OUT = ["STOP", "stop", "Stop.", " stop ", "ＳＴＯＰ", "S T O P", "stop!!", "STOPALL", "stop all",
           "UNSUBSCRIBE", "Unsubscribe please", "END", "end.", "QUIT", "quit?",
           "수신거부", "수신 거부", "수신  거부!", "수신거부.", "「수신거부」", "거부", "거부해요 ",
           "중지", "중지!", "그만", "그만.", "그만 보내세요", "수신 거부 해주세요", "stop 수신거부",
           "그만해요", "중지해 주세요", "수신거부합니다",
           # punctuation, symbols and emoji between words; trailing ㅠㅋ; more ways to say it
           "수신거부(무료)", "수신거부,감사합니다", "stop,please", "STOP.Thanks", "Stop!Thank you",
           "STOP😡", "stop 🙏", "stopㅋㅋ", "그만ㅠㅠ", "그만ㅜㅜ 보내지 마세요", "그만😭", "수신거부~♡",
           "그만ㅋㅠ", "수신거부ㅎㅜ",  # ㅋ+ㅠ must not become 큐
           "그만보내세요", "그만 보내세요", "그만보내", "수신중지", "수신 중지", "수신중지요",
           "문자 수신 거부", "문자수신거부", "문자 거부", "문자거부", "문자거부요", "보내지마",
           "보내지 마세요", "보내지마세요!", "stop/unsubscribe", "[수신거부]", "end:)"]
OPT_IN = ["START", "start", "Start!", "ＳＴＡＲＴ", "UNSTOP", "un-stop", "시작", "시작!", " 시 작 ",
          "수신동의", "수신 동의", "start.", "START!", "시작.", "시작ㅎㅎ", "START 👍", "unstop!"]
HELP = ["HELP", "help", "Help?", "INFO", "info.", "도움", "도움!", "도움말", "도 움 말", "?", "？", "??",
        "help me", "ＨＥＬＰ"]
CANCEL = ["CANCEL", "cancel", "Cancel.", "취소", "취 소", "취소합니다 내일 못가요", "ＣＡＮＣＥＬ"]
NONE = ["", "   ", "...", "안녕하세요", "J1234", "1", "stopped", "startup", "ending soon", "helpful",
        "그만둔 회사", "시작했어요", "거부감", "내일 시작", "I want to stop", "please help", "취소표",
        "시작해요", "stopping", "요",
        # opting in needs the whole text to be the keyword
        "시작 시간이 언제예요?", "시작시간이 언제예요", "start please", "Start time?", "start, please",
        "시작 언제 해요?", "unstop it",
        # words that only contain or resemble a keyword, joined by hyphens or apostrophes
        "end-of-day report", "don't stop", "stop-over", "Quit-smoking class?", "그만큼 좋아요",
        "그만두고 싶어요", "중지됐나요?", "거부권", "문자 보내주세요", "문자 주세요", "보내주세요",
        "ㅋㅋㅋ", "ㅠㅠ", "😀", "수신 거부감"]


# CANCEL belongs to appointments, never to opting out.
@pytest.mark.parametrize(("text", "kind"), [(text, kind) for kind, texts in (
    ("opt_out", OPT_OUT), ("opt_in", OPT_IN), ("help", HELP), ("cancel", CANCEL)) for text in texts])
def test_keyword_words(text, kind):
    assert classify(text) == kind


@pytest.mark.parametrize("text", NONE)
def test_other_texts_are_no_keyword(text):
    assert classify(text) is None


@pytest.mark.parametrize("text", ["시작 시간이 언제예요?", "start please", "START now", "시작할게요"])
def test_a_sentence_starting_with_start_does_not_opt_in(text):
    assert classify(text) != "opt_in"


def test_opt_out_wins_over_everything_after_it():
    assert classify("STOP HELP") == "opt_out"
    assert classify("도움 수신거부") == "help"  # the first word decides; only it may be a keyword


def test_the_chain_starts_with_opt_out_and_ends_with_the_fallback():
    names = [name for name, _ in HANDLERS]
    assert names[:2] == ["opt_out", "opt_in"] and names[-1] == "fallback"
    # counselors' 도움 is their command list; everyone else's is the seekers' help
    assert names.index("counselor") < names.index("help")


def test_opt_out_handler_acts_before_any_feature(conn, clock, app):
    from sms.inbound.replies import route
    from sms.outbound.optout import is_opted_out

    message = InboundMessage(1, "SM1", "+821012345678", "수신 거부", clock.now())
    name, text = route(conn, message, clock.now(), app.config)
    assert name == "opt_out" and "시작" in text
    assert is_opted_out(conn, "+821012345678")
