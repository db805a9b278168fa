"""A contest run from the command line only: load → start-judging → scores import → lock → publish →
certificates, with the refusals along the way (publish before the lock, import after it), `status`
telling what blocks the next step, `judges` printing codes and links, and the correction path."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judging.models import Contest, ResultSnapshot
from judging.services import auth
from tests.support.lifecycle import READY_CONTEST, scores_csv


def run(runner, *args: str):  # noqa: ANN001, ANN201
    return runner.invoke(args=list(args))


def test_a_cli_only_contest_from_file_to_certificates(runner, session, tmp_path, app):  # noqa: ANN001
    slug = "paper-2024"
    contest_path = tmp_path / "contest.toml"
    contest_path.write_text(READY_CONTEST.format(slug=slug), encoding="utf-8")
    sheets_path = tmp_path / "paper.csv"
    sheets_path.write_text(scores_csv(), encoding="utf-8")

    result = run(runner, "contest", "load", str(contest_path))
    assert result.exit_code == 0, result.output

    result = run(runner, "status", slug)
    assert result.exit_code == 0, result.output
    assert "상태: 준비 [draft]" in result.output
    assert "judging open paper-2024" in result.output and "judging start-judging paper-2024" in result.output

    # Scores cannot be typed in before judging starts, nor published.
    result = run(runner, "scores", "import", slug, str(sheets_path))
    assert result.exit_code == 1 and "점수는 심사 중에만 입력하거나 불러올 수 있습니다. (지금 상태: 준비)" in result.output
    result = run(runner, "publish", slug)
    assert result.exit_code == 1 and "확정(잠금)한 뒤에만 결과를 공개할 수 있습니다" in result.output

    # Judges' codes and links, for cards made elsewhere.
    result = run(runner, "judges", slug)
    assert result.exit_code == 0, result.output
    contest = session.scalar(sa.select(Contest).where(Contest.slug == slug))
    codes = re.findall(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", result.output)
    assert len(codes) == 3 and "http://testserver/j/" in result.output
    from judging.models import User

    j1 = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
    assert auth.sign_in_code(app.config["SECRET_KEY"], j1) in codes

    result = run(runner, "start-judging", slug)
    assert result.exit_code == 0, result.output
    assert "심사를 시작했습니다. (지금 상태: 심사 중)" in result.output

    result = run(runner, "scores", "import", slug, str(sheets_path))
    assert result.exit_code == 0, result.output

    # Paper sheets imported without --submit-sheets: the lock lists them and needs --yes.
    result = run(runner, "status", slug)
    assert "0/3" in result.output and "judging lock paper-2024" in result.output
    assert "제출하지 않았습니다" in result.output
    result = run(runner, "publish", slug)
    assert result.exit_code == 1 and "(지금 상태: 심사 중)" in result.output
    result = run(runner, "lock", slug)
    assert result.exit_code == 1 and "확인했으면 --yes를 붙여" in result.output
    result = run(runner, "lock", slug, "--yes")
    assert result.exit_code == 0, result.output
    assert "(지금 상태: 점수 확정)" in result.output

    # After the lock the scores stay as they are.
    changed = tmp_path / "late.csv"
    changed.write_text(scores_csv(bump=1), encoding="utf-8")
    result = run(runner, "scores", "import", slug, str(changed))
    assert result.exit_code == 1 and "점수가 확정된 뒤에는 바꿀 수 없습니다" in result.output
    result = run(runner, "reopen-sheet", slug, "--round", "final", "--judge", "j1", "--reason", "서명 누락")
    assert result.exit_code == 1 and "채점표를 다시 열 수 없습니다" in result.output

    result = run(runner, "publish", slug, "--note", "종이 채점표")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "1"
    result = run(runner, "status", slug)
    assert "상태: 결과 공개 [published] · 공개된 판: 제1판" in result.output

    out = tmp_path / "certificates"
    result = run(runner, "certificates", slug, "--out", str(out))
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert len(pdfs) == 3  # 최우수, 우수 and the batch file
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.glob("*.pdf"))

    # The correction path: unlock with a reason, fix, lock, publish version 2.
    result = run(runner, "unlock", slug, "--reason", "")
    assert result.exit_code == 1 and "사유를 적어 주세요" in result.output
    result = run(runner, "unlock", slug, "--reason", "다동 점수 오기 정정")
    assert result.exit_code == 0, result.output
    result = run(runner, "scores", "import", slug, str(changed))
    assert result.exit_code == 0, result.output
    assert run(runner, "lock", slug, "--yes").exit_code == 0
    result = run(runner, "publish", slug, "--note", "정정")
    assert result.exit_code == 0 and result.stdout.strip().splitlines()[-1] == "2"
    session.expire_all()
    versions = session.scalars(sa.select(ResultSnapshot.version).where(ResultSnapshot.contest_id == contest.id)
                               .order_by(ResultSnapshot.version)).all()
    assert versions == [1, 2]


def test_start_judging_refuses_a_stuck_set_up_and_says_why(runner, tmp_path):  # noqa: ANN001
    text = READY_CONTEST.format(slug="stuck-2024").replace('[[judges]]\nkey = "j3"\nname = "심사위원 셋"\n', "")
    path = tmp_path / "stuck.toml"
    path.write_text(text, encoding="utf-8")
    assert run(runner, "contest", "load", str(path)).exit_code == 0
    result = run(runner, "start-judging", "stuck-2024", "--yes")
    assert result.exit_code == 1
    assert "심사 시작을(를) 할 수 없습니다" in result.output
    assert "심사위원이 3명 이상 필요하지만" in result.output
    result = run(runner, "status", "stuck-2024")
    assert "✗" in result.output and "2명뿐" in result.output


def test_unknown_contest_round_or_judge_is_a_korean_refusal(runner, session):  # noqa: ANN001
    from tests.support.lifecycle import contest_in

    contest_in(session, "judging", slug="known-2024")
    for args, message in [
        (["status", "nope"], "공모전 'nope'이(가) 없습니다"),
        (["reopen-sheet", "known-2024", "--round", "semi", "--judge", "j1", "--reason", "x"], "라운드 'semi'"),
        (["reopen-sheet", "known-2024", "--round", "final", "--judge", "j9", "--reason", "x"], "심사위원 'j9'"),
        (["reopen-sheet", "known-2024", "--round", "final", "--judge", "j3", "--reason", "x"],
         "제출되지 않은 채점표"),
    ]:
        result = run(runner, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
