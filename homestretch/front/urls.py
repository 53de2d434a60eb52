from django.urls import path

from . import intake, mail, views
from .insights import client_report, insights_csv, insights_page
from .spreadsheets import export as export_list
from .spreadsheets import page as spreadsheets_page
from .spreadsheets import upload as spreadsheet_upload

urlpatterns = [
    path("", views.today, name="home"),
    path("pipeline/", views.board, name="board"),
    path("applications/<int:application_id>/", views.application_page, name="application"),
    path("applications/<int:application_id>/touch/", views.log_touch, name="log_touch"),
    path("applications/<int:application_id>/move/", views.move, name="move_stage"),
    path("applications/<int:application_id>/competing/", views.add_competing, name="add_competing"),
    path("applications/<int:application_id>/competing/<int:competing_id>/", views.edit_competing,
         name="edit_competing"),
    path("applications/<int:application_id>/priorities/", views.set_priorities, name="set_priorities"),
    path("applications/<int:application_id>/offer/", views.record_offer, name="record_offer"),
    path("applications/<int:application_id>/offer/status/", views.offer_status, name="offer_status"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:candidate_id>/", views.candidate_page, name="candidate"),
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/close/", views.close_job, name="close_job"),
    path("clients/<int:client_id>/", views.client_page, name="client"),
    # Bringing work in (issue 16): a new application in one form, the edits, handing over.
    path("applications/new/", intake.new_application, name="new_application"),
    path("applications/new/search/", intake.search, name="intake_search"),
    path("applications/<int:application_id>/recruiter/", intake.hand_over, name="hand_over"),
    path("candidates/<int:candidate_id>/edit/", intake.edit_candidate, name="edit_candidate"),
    path("jobs/<int:job_id>/edit/", intake.edit_job, name="edit_job"),
    path("clients/<int:client_id>/edit/", intake.edit_client, name="edit_client"),
    path("mail/unmatched/", mail.unmatched, name="mail-unmatched"),
    path("mail/unmatched/<int:message_id>/attach/", mail.attach, name="mail-attach"),
    path("mail/unmatched/<int:message_id>/dismiss/", mail.dismiss, name="mail-dismiss"),
    path("mail/addresses/", mail.add_address, name="mail-address-add"),
    path("mail/addresses/<int:address_id>/remove/", mail.remove_address, name="mail-address-remove"),
    path("applications/<int:application_id>/mail/", mail.upload_on_application, name="mail-upload-application"),
    path("candidates/<int:candidate_id>/mail/", mail.upload_on_candidate, name="mail-upload-candidate"),
    path("applications/<int:application_id>/proposals/<int:proposal_id>/add/", mail.accept_proposal,
         name="mail-proposal-accept"),
    path("applications/<int:application_id>/proposals/<int:proposal_id>/", mail.edit_proposal,
         name="mail-proposal-edit"),
    path("applications/<int:application_id>/proposals/<int:proposal_id>/dismiss/", mail.dismiss_proposal,
         name="mail-proposal-dismiss"),
    path("insights/", insights_page, name="insights"),
    path("insights/<str:table>.csv", insights_csv, name="insights_csv"),
    path("clients/<int:client_id>/report", client_report, name="client_report"),
    # Spreadsheets in and out (issue 16, items 4 and 6).
    path("spreadsheets/", spreadsheets_page, name="spreadsheets"),
    path("spreadsheets/import/", spreadsheet_upload, name="spreadsheet_upload"),
    path("export/<str:kind>.<str:file_format>", export_list, name="export"),
]
