"""Conversations on the real model and the seeds index: follow-ups resolved, topic switches left alone, the
JSON-lines contract of `rag ask -` and `rag chat` typed into a pseudo-terminal."""
from __future__ import annotations

import json
import signal

import pexpect

from tests.conftest import RAG, run_rag


def test_a_follow_up_is_resolved_and_answered_in_context(assistant):
    first = assistant.ask("What share of global rare earth processing does China control?")
    follow = assistant.ask("And of mining?", conversation=[first])
    assert follow.question == "And of mining?"
    assert follow.standalone_question != follow.question
    assert "mining" in follow.standalone_question and not follow.abstained
    assert "70%" in follow.answer
    assert follow.to_json()["standalone_question"] == follow.standalone_question


def test_an_ellipsis_follow_up_finds_the_other_figure(assistant):
    first = assistant.ask("What loss would Japan face if Chinese rare earth restrictions lasted three months?")
    follow = assistant.ask("And over a year?", conversation=[first])
    assert follow.standalone_question != "And over a year?"
    assert "2.6 trillion" in follow.answer


def test_a_topic_switch_is_left_alone_and_without_conversation_nothing_changes(assistant):
    first = assistant.ask("Which vessel recovered the rare-earth-bearing seabed mud?")
    switch = "Where did Trump and Xi agree to a trade war truce?"
    answer = assistant.ask(switch, conversation=[first])
    assert answer.standalone_question == switch
    assert "Busan" in answer.answer
    alone = assistant.ask(switch)
    assert alone.answer == answer.answer and alone.to_json()["standalone_question"] == switch


def test_an_unanswerable_follow_up_is_declined(assistant):
    first = assistant.ask("What Japanese semiconductor chemical did China open an anti-dumping investigation into?")
    follow = assistant.ask("What anti-dumping duty rate was set on it?", conversation=[first])
    assert follow.standalone_question != follow.question
    assert follow.abstained and not follow.citations


def test_conversation_accepts_plain_earlier_questions(assistant):
    follow = assistant.ask("And of mining?",
                           conversation=["What share of global rare earth processing does China control?"])
    assert follow.standalone_question != "And of mining?"
    assert "70%" in follow.answer


def test_json_lines_answer_conversations_in_order(seeds_index):
    lines = [
        "Which vessel recovered the rare-earth-bearing seabed mud?",
        json.dumps({"question": "What share of global rare earth processing does China control?", "conversation": "x"}),
        json.dumps({"question": "Which vessel recovered the rare-earth-bearing seabed mud?", "conversation": 7}),
        json.dumps({"question": "And of mining?", "conversation": "x"}),
        "{not json",
        json.dumps({"question": "Near which island?", "conversation": 7}),
    ]
    result = run_rag("ask", "-", "--json", "--db", str(seeds_index.db_dir), input="\n".join(lines) + "\n")
    assert result.returncode == 2  # one bad line, the rest answered
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "line 5: not valid JSON" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert "conversation" not in out[0]  # a plain line's object is the contract as before
    assert [o.get("conversation") for o in out[1:]] == ["x", "7", "x", "7"]
    assert out[0]["standalone_question"] == out[0]["question"]
    assert out[3]["question"] == "And of mining?" and out[3]["standalone_question"] != "And of mining?"
    assert "70%" in out[3]["answer"]
    assert out[4]["standalone_question"] != "Near which island?" and "Minamitorishima" in out[4]["answer"]


def _chat(seeds_index, tmp_path):
    # Started as a terminal starts a foreground program: Ctrl-C at its default. A suite run from a script's
    # background job (`cmd &` without job control) inherits SIGINT ignored, and Python then keeps it ignored
    # (rightly: a program started that way should not die of the terminal's Ctrl-C), so the chat would never
    # see the test's Ctrl-C.
    child = pexpect.spawn(RAG, ["chat", "--db", str(seeds_index.db_dir)], encoding="utf-8", timeout=120,
                          cwd=str(tmp_path), dimensions=(40, 200),
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    child.logfile_read = open(tmp_path / "screen.log", "w")
    child.expect("you> ")
    return child


def test_rag_chat_in_a_terminal(seeds_index, tmp_path):
    child = _chat(seeds_index, tmp_path)
    child.sendline("Which vessel recovered the rare-earth-bearing seabed mud?")
    child.expect("Chikyu")
    child.expect("you> ")
    child.sendline("Near which island?")
    child.expect(r"understood as: Near which island")
    child.expect("Minamitorishima")
    child.expect("you> ")
    child.sendline("/bogus")
    child.expect("unknown command '/bogus'")
    child.expect("you> ")
    child.sendline("/memo")
    child.expect("needs a file name")
    child.expect("you> ")
    child.sendline("/memo memo.md")
    child.expect("saved 2 answers to memo.md")
    child.expect("you> ")
    memo = (tmp_path / "memo.md").read_text(encoding="utf-8")
    assert "## Near which island?" in memo and "*Understood as: Near which island" in memo
    assert "Minamitorishima" in memo
    child.sendline("/new")
    child.expect(r"\(new conversation\)")
    child.expect("you> ")
    child.sendline("   ")  # a blank line is ignored, the prompt comes back
    child.expect("you> ")
    # Readline line editing: type, move left with the arrow key, fix a word, submit.
    child.send("Which vessel recovered the seabed mdu?")
    child.send("\x1b[D\x1b[D\x7f\x7fud")  # <- <- backspace backspace "ud"  -> "...seabed mud?"
    child.sendline("")
    child.expect("Chikyu")
    child.expect("you> ")
    child.sendeof()  # Ctrl-D leaves cleanly
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (tmp_path / "screen.log").read_text()


def test_rag_chat_ctrl_c_leaves_cleanly(seeds_index, tmp_path):
    child = _chat(seeds_index, tmp_path)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (tmp_path / "screen.log").read_text()
