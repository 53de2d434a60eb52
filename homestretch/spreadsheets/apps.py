from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "homestretch.spreadsheets"
    verbose_name = "Spreadsheet import and export"
