"""The keyword table in Korean and English, with spacing, punctuation and width variants."""

from __future__ import annotations

import pytest

from sms.inbound import InboundMessage
from sms.keywords import classify
from sms.replies import HANDLERS

OPT_OUT = ["STOP", "stop", "Stop.", " stop ", "ＳＴＯＰ", "S T O P", "stop!!", "STOPALL", "stop all",
           "UNSUBSCRIBE", "Unsubscribe please", "END", "end.", "QUIT", "quit?",
           "수신거부", "수신 거부", "수신  거부!", "수신거부.", "「수신거부」", "거부", "거부해요 ",
           "중지", "중지!", "그만", "그만.", "그만 보내세요", "수신 거부 해주세요", "stop 수신거부",
           "그만해요", "중지해 주세요", "수신거부합니다"]
OPT_IN = ["START", "start", "Start!", "ＳＴＡＲＴ", "UNSTOP", "un-stop", "시작", "시작!", " 시 작 ",
          "수신동의", "수신 동의", "start please"]
HELP = ["HELP", "help", "Help?", "INFO", "info.", "도움", "도움!", "도움말", "도 움 말", "?", "？", "??",
        "help me", "ＨＥＬＰ"]
CANCEL = ["CANCEL", "cancel", "Cancel.", "취소", "취 소", "취소합니다 내일 못가요", "ＣＡＮＣＥＬ"]
NONE = ["", "   ", "...", "안녕하세요", "J1234", "1", "stopped", "startup", "ending soon", "helpful",
        "그만둔 회사", "시작했어요", "거부감", "내일 시작", "I want to stop", "please help", "취소표",
        "시작해요", "stopping", "요"]


# CANCEL belongs to appointments, never to opting out.
@pytest.mark.parametrize(("text", "kind"), [(text, kind) for kind, texts in (
    ("opt_out", OPT_OUT), ("opt_in", OPT_IN), ("help", HELP), ("cancel", CANCEL)) for text in texts])
def test_keyword_words(text, kind):
    assert classify(text) == kind


@pytest.mark.parametrize("text", NONE)
def test_other_texts_are_no_keyword(text):
    assert classify(text) is None


def test_opt_out_wins_over_everything_after_it():
    assert classify("STOP HELP") == "opt_out"
    assert classify("도움 수신거부") == "help"  # the first word decides; only it may be a keyword


def test_the_chain_starts_with_opt_out_and_ends_with_the_fallback():
    names = [name for name, _ in HANDLERS]
    assert names[:2] == ["opt_out", "opt_in"] and names[-1] == "fallback"
    # counselors' 도움 is their command list; everyone else's is the seekers' help
    assert names.index("counselor") < names.index("help")


def test_opt_out_handler_acts_before_any_feature(conn, clock, app):
    from sms.optout import is_opted_out
    from sms.replies import route

    message = InboundMessage(1, "SM1", "+821012345678", "수신 거부", clock.now())
    name, text = route(conn, message, clock.now(), app.config)
    assert name == "opt_out" and "시작" in text
    assert is_opted_out(conn, "+821012345678")
