"""The import and export pages: an admin previews a file, edits the mapping and imports it; everyone
downloads the lists they may export, as CSV or XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from homestretch.front.tests.pages import many_applications, pages_at_now  # noqa: F401
from homestretch.pipeline.models import Application, Candidate, Client, Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]

FILE = (
    "Full Name;Mail;Client;Job Title;Status;Owner\n"
    "Ana Lima;ana@example.org;Globex;Backend Engineer;Offer Extended;alice@example.com\n"
    "Ben Ok;not-an-e-mail;Globex;Backend Engineer;Screen;alice@example.com\n"
)


def upload(client, text: str, **data):
    return client.post(reverse("spreadsheet_upload"), {
        "file": io.BytesIO(text.encode()), "action": "preview", **data}, format="multipart")


def test_an_admin_previews_edits_the_mapping_and_imports(client, ada, alice):
    client.force_login(ada)
    preview = upload(client, FILE)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "line 3, Mail: &#x27;not-an-e-mail&#x27; is not an e-mail address" in page
    assert "Would import pipeline" not in page and not Candidate.objects.exists()
    assert preview.context["columns"][1] == (1, "Mail", "email")
    assert [row[0] for row in preview.context["preview_rows"]] == ["Ana Lima", "Ben Ok"]
    token = preview.context["token"]
    # Import with Skip bad rows, the mapping as the page sends it back.
    done = client.post(reverse("spreadsheet_upload"), {
        "token": token, "action": "import", "skip_bad": "on",
        **{f"map-{i}": field for i, field in enumerate(
            ["candidate_name", "email", "client", "job_title", "stage", "recruiter_email"])}})
    assert done.status_code == 302
    application = Application.objects.get()
    assert (application.candidate.email, application.stage, application.recruiter) == ("ana@example.org", "offer",
                                                                                        alice)
    # The file is gone once imported: the same token does nothing more.
    again = client.post(reverse("spreadsheet_upload"), {"token": token, "action": "import"})
    assert again.status_code == 400 and "Choose a file" in again.content.decode()


def test_a_file_refused_whole_says_why_beside_the_file(client, ada):
    client.force_login(ada)
    response = upload(client, "Name,Email,Client,Job,Stage,Date\nAna,a@x.org,Globex,Dev,New,03/04/2026\n")
    assert response.status_code == 400
    assert "--date-format" in response.context["errors"]["file"]


def test_only_an_admin_imports(client, alice):
    client.force_login(alice)
    assert upload(client, FILE).status_code == 403
    page = client.get(reverse("spreadsheets"))
    assert page.status_code == 200 and b"Import a spreadsheet" not in page.content


def test_a_recruiter_downloads_their_teams_board_as_csv_and_xlsx(client, alice, charlie, now,
                                                                 django_assert_max_num_queries):
    job = Job.objects.create(client=Client.objects.create(name="=Globex"), title="Backend Engineer")
    many_applications(job, alice, 6, now, "North")
    many_applications(job, charlie, 4, now, "South")
    client.force_login(alice)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("export", kwargs={"kind": "board", "file_format": "csv"}))
        body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"].startswith('attachment; filename="homestretch-board-')
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 7 and {row[3] for row in rows[1:]} == {"'=Globex"}
    assert all(row[1].startswith("North") for row in rows[1:]) and all(row[11] for row in rows[1:])
    xlsx = client.get(reverse("export", kwargs={"kind": "applications", "file_format": "xlsx"}))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet is not None and sheet.max_row == 7


def test_the_list_pages_link_their_export(client, alice):
    client.force_login(alice)
    assert b'/export/candidates.csv?q=ana' in client.get(reverse("candidates"), {"q": "ana"}).content
    assert b"/export/today.xlsx?scope=mine" in client.get(reverse("home")).content
    assert b"/export/board.csv?recruiter=" in client.get(reverse("board")).content
    assert client.get(reverse("export", kwargs={"kind": "nothing", "file_format": "csv"})).status_code == 404
