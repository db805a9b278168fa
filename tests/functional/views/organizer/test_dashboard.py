"""The dashboard and the tab bar: every organizer page renders in every status of a contest."""

from __future__ import annotations


def test_every_organizer_page_renders_in_every_status(client, organizer, make_contest, session):
    contest = make_contest(slug="pages-2024")
    base = f"/organizer/c/{contest.slug}"
    pages = ["/organizer/", f"{base}/", f"{base}/setup", f"{base}/entrants", f"{base}/entrants/invitations",
             f"{base}/intake", f"{base}/judges", f"{base}/judges/cards", f"{base}/assignments", f"{base}/day",
             f"{base}/results", "/organizer/audit", f"/organizer/audit?contest={contest.slug}",
             f"{base}/entries/{contest.entrants[0].entry.id}"]
    for status in ("draft", "open", "judging", "locked"):
        contest.status = status
        session.commit()
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (status, page)
            html = response.get_data(as_text=True)
            assert 'lang="ko"' in html and "<main" in html
            assert 'aria-label="공모전 메뉴"' in html or page.startswith("/organizer/audit") or page == "/organizer/"
