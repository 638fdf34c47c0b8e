"""A company asks the ULD for candidates through the API and follows the request."""

from __future__ import annotations

from tests.support.api import call, field_errors, make_token, problem

REQUEST = {
    "title": "Staf administrasi",
    "tasks": "Entri data dan arsip",
    "hours": "full_time",
    "min_education": "senior",
    "positions": 2,
}


def test_asking_following_and_closing_a_request(client, factory):
    org = factory.org()
    token = make_token(factory, org.hr_email)
    made = call(
        client,
        "POST",
        "/referral-requests",
        token,
        json={**REQUEST, "establishment_id": org.establishment_ids[0]},
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    request_id = made.get_json()["id"]
    listed = call(client, "GET", "/referral-requests", token).get_json()["items"]
    assert [r["id"] for r in listed] == [request_id]
    assert listed[0]["referrals"] == {}
    closed = call(client, "POST", f"/referral-requests/{request_id}/close", token).get_json()
    assert closed["status"] == "closed"
    twice = problem(call(client, "POST", f"/referral-requests/{request_id}/close", token), 422)
    assert "closed" in twice["detail"]


def test_a_request_names_its_refused_fields_and_another_companys_is_not_there(client, factory):
    org, other = factory.org(), factory.org()
    token = make_token(factory, org.hr_email)
    bad = call(
        client,
        "POST",
        "/referral-requests",
        token,
        json={**REQUEST, "establishment_id": other.establishment_ids[0], "skill_codes": ["nope"]},
    )
    assert "establishment_id" in field_errors(bad)
    theirs = make_token(factory, other.hr_email)
    made = call(
        client,
        "POST",
        "/referral-requests",
        theirs,
        json={**REQUEST, "establishment_id": other.establishment_ids[0]},
    ).get_json()
    problem(call(client, "GET", f"/referral-requests/{made['id']}", token), 404)
    problem(call(client, "POST", f"/referral-requests/{made['id']}/close", token), 404)
