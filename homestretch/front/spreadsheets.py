"""Spreadsheets in and out from the web app: the export downloads behind each list's "Export" link,
and the admins' upload page (a preview of the first rows as they will be read, the guessed mapping to
edit, the bad rows by line, then the import). Both call the spreadsheets app, as the command line does.

An uploaded file waits in a private temporary folder between the preview and the import, under a
random name the session remembers (never a path the browser sends); it is deleted once imported, and
files left over a day are deleted at the next upload.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from homestretch.accounts.access import require_reader
from homestretch.accounts.models import User
from homestretch.accounts.requests import AuthenticatedHttpRequest
from homestretch.lib.file_dates import DateOrder
from homestretch.pipeline.choices import Stage
from homestretch.spreadsheets import exporter
from homestretch.spreadsheets.exporter import ExportKind, Filters, team_scope
from homestretch.spreadsheets.fields import FIELDS_OF, IGNORE, Kind
from homestretch.spreadsheets.files import sniff_first_lines
from homestretch.spreadsheets.importer import ImportInterrupted, ImportRefused, Result, import_sheet

from .views import page_now

MAX_UPLOAD_BYTES = 100 * 1_048_576  # a 100,000-row export of another ATS is some 15 MB
UPLOAD_DIR = Path(tempfile.gettempdir()) / "homestretch-uploads"
UPLOAD_TTL_SECONDS = 24 * 3600
SESSION_KEY = "spreadsheet_uploads"
PREVIEW_ROWS = 5
EXPORT_LABELS = {
    ExportKind.CANDIDATES: "Candidates", ExportKind.APPLICATIONS: "Applications, with stage and risk",
    ExportKind.BOARD: "The pipeline board (open applications)", ExportKind.TODAY: "Today",
    ExportKind.OFFERS: "Our offers", ExportKind.COMPETING: "Competing offers",
}


# --- Export ---------------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(request: AuthenticatedHttpRequest, kind: ExportKind) -> Filters:
    """The list's own filters, as its page takes them."""
    get = request.GET
    recruiter_id = _int(get.get("recruiter"))
    team_id = None
    if kind == ExportKind.TODAY:
        scope = get.get("scope", "")
        if scope == "mine":
            recruiter_id = request.user.pk
        elif scope == "team" and request.user.team_id:
            team_id = request.user.team_id
    stage = get.get("stage", "")
    return Filters(recruiter_id=recruiter_id, team_id=team_id, client_id=_int(get.get("client")),
                   job_id=_int(get.get("job")), stage=stage if stage in Stage.values else "",
                   q=get.get("q", "").strip()[:200])


def export(request: AuthenticatedHttpRequest, kind: str, file_format: str) -> HttpResponseBase:
    """A list as CSV (streamed) or XLSX, with the list's filters from the query string."""
    require_reader(request.user)
    try:
        export_kind, export_format = ExportKind(kind), exporter.ExportFormat(file_format)
    except ValueError:
        return HttpResponse("No such export.", status=404, content_type="text/plain")
    if team_scope(request.user) is False:
        raise PermissionDenied("You belong to no team: there is nothing of yours to export.")
    now = page_now()
    table = exporter.export_table(export_kind, _filters(request, export_kind), user=request.user, at=now)
    name = f"homestretch-{slugify(export_kind)}-{now:%Y-%m-%d}.{export_format}"
    if export_format == exporter.ExportFormat.CSV:
        response = StreamingHttpResponse(exporter.csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spool = tempfile.TemporaryFile(prefix="homestretch-export-")  # noqa: SIM115 - FileResponse closes it
    exporter.write_xlsx(table, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- The page -------------------------------------------------------------------------------------


def _uploads(request: AuthenticatedHttpRequest) -> dict[str, dict[str, str]]:
    found = request.session.get(SESSION_KEY)
    return found if isinstance(found, dict) else {}


def _sweep() -> None:
    """Uploads left over a day (a preview never imported) are deleted."""
    if not UPLOAD_DIR.is_dir():
        return
    limit = time.time() - UPLOAD_TTL_SECONDS
    for path in UPLOAD_DIR.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def _options() -> dict[str, Any]:
    return {"kinds": [(k.value, k.value.capitalize()) for k in Kind],
            "date_formats": [("", "Tell from the values"), (DateOrder.DAY_FIRST.value, "Day first: 31/03/2025"),
                             (DateOrder.MONTH_FIRST.value, "Month first: 03/31/2025")],
            "recruiters": User.objects.filter(is_active=True, role__in=["recruiter", "admin"]).order_by(
                "first_name", "last_name", "email").only("id", "first_name", "last_name", "email")}


def page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The exports everyone may take, and for admins the upload form."""
    require_reader(request.user)
    context: dict[str, Any] = {
        "exports": [(kind.value, label) for kind, label in EXPORT_LABELS.items()],
        "scope": team_scope(request.user), "can_import": request.user.is_admin,
        "max_upload_mb": MAX_UPLOAD_BYTES // 1_048_576, **_options(),
    }
    return render(request, "spreadsheets/page.html", context)


def _chosen(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    post = request.POST
    kind = post.get("kind", "")
    date_format = post.get("date_format", "")
    recruiter_id = _int(post.get("recruiter"))
    recruiter = User.objects.filter(pk=recruiter_id, is_active=True).first() if recruiter_id else None
    return {"kind": Kind(kind) if kind in {k.value for k in Kind} else None,
            "date_format": DateOrder(date_format) if date_format in {d.value for d in DateOrder} else None,
            "skip_bad": post.get("skip_bad") == "on", "recruiter": recruiter}


@require_POST
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Preview a file (the first POST, with the file) or import it (the second, with its token and the
    mapping as edited). Admins only."""
    if not request.user.is_admin:
        raise PermissionDenied("Only an admin imports spreadsheets.")
    chosen = _chosen(request)
    uploads = _uploads(request)
    token = request.POST.get("token", "")
    errors: dict[str, str] = {}
    uploaded = request.FILES.get("file")
    if uploaded is not None:
        if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
            errors["file"] = (f"The file is larger than {MAX_UPLOAD_BYTES // 1_048_576} MB; import it with "
                              "`homestretch import FILE` on the server.")
        else:
            _sweep()
            UPLOAD_DIR.mkdir(mode=0o700, exist_ok=True)
            token = secrets.token_urlsafe(16)
            with (UPLOAD_DIR / token).open("wb") as stored:
                for chunk in uploaded.chunks():
                    stored.write(chunk)
            uploads[token] = {"name": (uploaded.name or "upload")[:200], "user": str(request.user.pk)}
            request.session[SESSION_KEY] = uploads
    elif token not in uploads or uploads[token].get("user") != str(request.user.pk) or \
            not (UPLOAD_DIR / token).is_file():
        errors["file"] = "Choose a file to import."
    if errors:
        return render(request, "spreadsheets/page.html", {
            "errors": errors, "can_import": True, "exports": [(k.value, label) for k, label in EXPORT_LABELS.items()],
            "scope": team_scope(request.user), "max_upload_mb": MAX_UPLOAD_BYTES // 1_048_576, **_options(),
            "chosen": chosen}, status=400)
    path = UPLOAD_DIR / token
    file_name = uploads[token]["name"]
    importing = request.POST.get("action") == "import"
    map_options: list[str] = []
    if importing or uploaded is None:
        try:
            header = sniff_first_lines(path, 0)[0]
        except ImportRefused:
            header = []
        for index, column in enumerate(header):
            target = request.POST.get(f"map-{index}", "")
            if column and target:
                map_options.append(f"{column}={target}")
    result: Result | None = None
    try:
        result = import_sheet(path, kind=chosen["kind"], map_options=map_options, dry_run=not importing,
                              skip_bad=chosen["skip_bad"], date_format=chosen["date_format"],
                              recruiter=chosen["recruiter"], at=page_now(), file_name=file_name)
    except ImportRefused as refusal:
        errors["file"] = str(refusal)
    except ImportInterrupted as interrupted:
        errors["file"] = str(interrupted)
    if importing and result is not None and result.written:
        path.unlink(missing_ok=True)
        uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
        messages.success(request, _said(result))
        return redirect("spreadsheets")
    try:
        preview = sniff_first_lines(path, PREVIEW_ROWS)
    except ImportRefused as refusal:
        preview = []
        errors.setdefault("file", str(refusal))
    kind = result.kind if result is not None else chosen["kind"] or Kind.APPLICATIONS
    mapping = result.mapping if result is not None else {}
    columns = [(index, column, mapping.get(column, "")) for index, column in enumerate(preview[0] if preview else [])]
    fields = [(f.name, f.label) for f in FIELDS_OF[kind]]
    return render(request, "spreadsheets/page.html", {
        "can_import": True, "exports": [(k.value, label) for k, label in EXPORT_LABELS.items()],
        "scope": team_scope(request.user), "max_upload_mb": MAX_UPLOAD_BYTES // 1_048_576, **_options(),
        "errors": errors, "result": result, "summary": _said(result) if result is not None else "",
        "token": token, "file_name": file_name, "preview_rows": preview[1:], "columns": columns,
        "fields": fields, "ignore": IGNORE, "chosen": chosen, "kind": kind,
    }, status=400 if errors else 200)


def _said(result: Result) -> str:
    """The counts in a sentence: "Imported: candidates 2 created, 1 updated; …"."""
    parts = []
    for name, counts in result.counts.items():
        said = [f"{counts[state]} {state}" for state in ("created", "updated", "unchanged") if counts[state]]
        if said:
            parts.append(f"{name} {', '.join(said)}")
    verb = "Imported" if result.written else "Would import"
    bad = f"; {result.bad_rows} bad row{'s' if result.bad_rows != 1 else ''}" if result.bad_rows else ""
    repeated = f"; {result.repeated} repeated in the file" if result.repeated else ""
    return f"{verb} {result.file_name}: {'; '.join(parts) or 'nothing to change'}{bad}{repeated}."
