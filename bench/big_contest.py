"""Write a large contest (contest file and a score CSV) to try the long commands on.

    .venv/bin/python bench/big_contest.py --n 1000 --out /tmp/big

Writes ``contest.toml`` (N entrants with project titles, one round of two criteria, three judges,
tiers 최우수 1 / 우수 9 / 장려 for every other entry with a score, so every entrant earns an award)
and ``scores.csv`` (every judge's scores, the top ten distinct so no tie straddles a count tier).
Then, for example:

    judging contest load /tmp/big/contest.toml
    judging scores import big-2024 /tmp/big/scores.csv --submit-sheets
    judging publish big-2024
    judging certificates big-2024 --out /tmp/big/certificates
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

JUDGES = ("j1", "j2", "j3")


def contest_file(n: int, slug: str) -> str:
    lines = [
        "[contest]",
        f'slug = "{slug}"',
        f'title = "{n}개 동 복지 우수사례 대회"',
        'organizer = "고양특례시"',
        'issuer = "고양특례시장"',
        'issuer_name = "○○○"',
        "held_on = 2024-12-04",
        'tie_break = ["untrimmed_mean"]',
        "",
        "[[rounds]]",
        'key = "final"',
        'title = "발표심사"',
        'aggregation = "mean"',
        "criteria = [",
        '  { key = "plan", title = "사업 계획", max = 60, scale = "points" },',
        '  { key = "outcome", title = "성과", max = 40, scale = "points" },',
        "]",
        "",
        '[[tiers]]\nkey = "best"\ntitle = "최우수"\ncount = 1\n',
        '[[tiers]]\nkey = "excellence"\ntitle = "우수"\ncount = 9\n',
        '[[tiers]]\nkey = "encouragement"\ntitle = "장려"\nthreshold = 0\n',
    ]
    for i in range(n):
        lines += [
            "[[entrants]]",
            f'key = "e{i:05d}"',
            f'name = "제{i + 1}동 지역사회보장협의체"',
            f'district = "고양특례시 일산동구 제{i + 1}동"',
            f'title = "제{i + 1}동 이웃 돌봄 사업"',
            "",
        ]
    for j, key in enumerate(JUDGES, start=1):
        lines += ["[[judges]]", f'key = "{key}"', f'name = "심사위원 {j}"', ""]
    return "\n".join(lines) + "\n"


def scores_csv(n: int, seed: int = 18) -> str:
    rng = random.Random(seed)
    rows = ["round,judge,entry,criterion,score"]
    for i in range(n):
        for judge in JUDGES:
            if i < 10:
                plan, outcome = 60 - i, 40
            else:
                plan, outcome = rng.randint(0, 49), rng.randint(0, 40)
            rows.append(f"final,{judge},e{i:05d},plan,{plan}")
            rows.append(f"final,{judge},e{i:05d},outcome,{outcome}")
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--slug", default="big-2024")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "contest.toml").write_text(contest_file(args.n, args.slug), encoding="utf-8")
    (args.out / "scores.csv").write_text(scores_csv(args.n), encoding="utf-8")
    print(f"{args.out}/contest.toml, {args.out}/scores.csv: {args.n} entrants")


if __name__ == "__main__":
    main()
