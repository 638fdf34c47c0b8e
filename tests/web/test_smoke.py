from tests.support.web import login, text_of


def test_home_page_in_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="id"' in text_of(response)


def test_hr_manager_logs_in_and_sees_own_organisation(client, factory):
    org = factory.org(name="PT Satu")
    login(client, org.hr_email)
    page = text_of(client.get("/organization"))
    assert "PT Satu" in page
    assert org.nib in page
