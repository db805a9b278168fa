"""The judge app's offline pieces through the test client: the service worker (scope /judge/, the
asset URLs the app emits, a version that follows the deployed files), the manifest, and the plan of
what a tablet stores (every page of the judge's entries, materials in running order within the
budget, nothing of a conflicted entry)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from judging import assets
from judging.models import Attachment
from judging.views import judge_offline
from tests.support.judge_pages import sign_in


def _upload(app, session, entry, name: str, size: int) -> Attachment:  # noqa: ANN001
    stored = uuid.uuid4().hex
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(b"%PDF" + b"0" * (size - 4))
    att = Attachment(entry_id=entry.id, original_name=name, stored_name=stored, kind="report",
                     content_type="application/pdf", size=size, sha256="0" * 64)
    session.add(att)
    session.commit()
    return att


def _worker_config(body: str) -> dict:
    first, _, rest = body.partition("\n")
    assert first.startswith("self.JUDGING_SW = ") and first.endswith(";")
    assert 'self.addEventListener("fetch"' in rest
    return json.loads(first[len("self.JUDGING_SW = "):-1])


def test_service_worker_is_scoped_to_the_judge_pages_and_lists_the_emitted_asset_urls(app, client):
    response = client.get("/judge/sw.js")  # no sign-in needed: nothing personal in it
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/judge/"
    assert response.headers["Cache-Control"] == "no-cache"
    config = _worker_config(response.get_data(as_text=True))
    with app.test_request_context():
        assert config["assets"] == judge_offline.asset_urls()
    assert any(url.startswith("/static/js/judge-queue.") for url in config["assets"])  # content-hashed names
    assert config["scope"] == "/judge/"
    assert config["offline"] == "/judge/offline" and len(config["version"]) == 16


def test_a_new_deployment_of_an_asset_changes_the_version(app, client, tmp_path):
    before = _worker_config(client.get("/judge/sw.js").get_data(as_text=True))["version"]
    static = Path(app.static_folder)
    target = static / "js" / "judge.js"
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n/* a new deployment */\n")
        app.extensions["judging.assets"] = assets.build_manifest(static)  # what a restart does
        after = _worker_config(client.get("/judge/sw.js").get_data(as_text=True))
    finally:
        target.write_bytes(original)
        app.extensions["judging.assets"] = assets.build_manifest(static)
    assert after["version"] != before
    assert any(url.startswith("/static/js/judge.") and url.endswith(".js") for url in after["assets"])
    assert _worker_config(client.get("/judge/sw.js").get_data(as_text=True))["version"] == before


def test_manifest_starts_and_stays_in_the_judge_area(client):
    response = client.get("/judge/app.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    data = response.get_json(force=True)
    assert data["start_url"] == "/judge/" and data["scope"] == "/judge/" and data["display"] == "standalone"
    assert data["icons"][0]["src"].startswith("/static/")


def test_judge_pages_link_the_manifest_and_name_their_judge(client, ready):
    sign_in(client, ready)
    response = client.get("/judge/")
    page = response.get_data(as_text=True)
    assert 'rel="manifest" href="/judge/app.webmanifest"' in page
    assert response.headers["X-Judging-Judge"] == str(ready.judge.id)
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in page and " onclick=" not in page  # every script is a static file
    assert 'data-plan-url="/judge/offline.json"' in page and 'data-sw-url="/judge/sw.js"' in page


def test_plan_lists_every_page_and_materials_in_running_order_within_the_budget(app, client, session, ready):
    app.config["JUDGE_OFFLINE_BUDGET_BYTES"] = 1000
    e = ready.entries
    late = _upload(app, session, e["gamma"], "다동 보고서.pdf", 300)  # uploaded first, presented last
    first = _upload(app, session, e["alpha"], "가동 보고서.pdf", 400)
    big = _upload(app, session, e["alpha"], "가동 영상 자료.pdf", 900)
    middle = _upload(app, session, e["beta"], "나동 보고서.pdf", 500)
    sign_in(client, ready)
    plan = client.get("/judge/offline.json").get_json()
    r = ready.round.id
    assert plan["pages"] == ["/judge/", "/judge/offline",
                             *(f"/judge/rounds/{r}/entries/{e[k].id}" for k in ("alpha", "beta", "gamma")),
                             f"/judge/rounds/{r}/review", f"/judge/rounds/{r}/submit"]
    # Running order: alpha's report (400), its video does not fit what is left (900 > 600), beta's report
    # (500) does, gamma's (300) no longer does.
    assert [m["url"] for m in plan["materials"]] == [f"/judge/files/{first.id}", f"/judge/files/{middle.id}"]
    assert plan["skipped"] == 2 and plan["material_bytes"] == 900 and plan["budget"] == 1000
    assert big.id and late.id
    assert plan["cache"] == f"judging-judge-{ready.judge.id}"
    for url in plan["pages"]:
        assert client.get(url).status_code == 200, url


def test_plan_before_the_pledge_holds_only_home(client, one_judge):
    sign_in(client, one_judge)
    plan = client.get("/judge/offline.json").get_json()
    assert plan["pages"] == ["/judge/", "/judge/offline"] and plan["materials"] == []
