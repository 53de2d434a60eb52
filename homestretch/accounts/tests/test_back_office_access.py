"""Who reaches the back office at /admin/: admins do; a signed-in recruiter or viewer gets the app's 403
page saying it is for admins (not a loop between /admin/ and the sign-in page); a visitor who is not
signed in goes to the one sign-in page and comes back."""

from __future__ import annotations

import pytest
from django.urls import reverse

FOR_ADMINS = "The back office is for admins"


def _follow(client, path: str):
    return client.get(path, follow=True)  # the test client raises RedirectCycleError on a loop


@pytest.mark.parametrize("who", ["alice", "victor"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/pipeline/application/", "/admin/login/?next=/admin/"])
def test_a_signed_in_recruiter_or_viewer_gets_the_apps_403_page(client, request, who, path):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = _follow(client, path)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    page = response.content.decode()
    assert FOR_ADMINS in page
    assert '<a class="brand"' in page  # the app's own page, with its header, not Django's bare text
    assert user.display_name in page  # and they are still signed in: the header shows who


def test_a_visitor_not_signed_in_goes_to_the_sign_in_page_and_back(client, db):
    response = _follow(client, "/admin/")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/login/?next=/admin/"
    assert response.resolver_match.url_name == "login"


def test_an_admin_reaches_the_back_office(client, ada):
    client.force_login(ada)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Homestretch back office" in response.content.decode()


def test_an_admin_on_the_back_office_sign_in_address_goes_on_to_the_back_office(client, ada):
    client.force_login(ada)
    response = client.get("/admin/login/?next=/admin/pipeline/application/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/pipeline/application/"
    assert client.get(reverse("admin:login"))["Location"] == reverse("admin:index")
